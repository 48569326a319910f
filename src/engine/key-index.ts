/**
 * One map from a key to a small integer, its id, for every store of a
 * pipeline. Detectors whose state lives equally long share a store (a
 * lifetime); an account has an entry in each of the three or so lifetimes.
 * A store keeps its entries in columns indexed by the key's id (see
 * SlottedState), so an event looks its key up once, whatever the stores, and
 * a commit once more for the changelog.
 *
 * Why ids and columns rather than an entry object per key and store: at a
 * million accounts, the entries were four objects per key and store (the
 * entry, its slot array and that array's backing store, a boxed time), read
 * one after the other on every event (a cache miss each) and marked by every
 * full collection. A column is one object for all keys.
 *
 * An id is free again once its key has no entry in any store, and is handed
 * out again before a new one (its columns are warm). The index grows its
 * capacity by doubling and tells the stores (onGrow), so every id is in
 * bounds of every column.
 *
 * It also keeps the set of keys changed since the last drain(), for the
 * changelog: a flag per id says whether its key is in the set already, so an
 * event that several detectors look at adds the key once, not once per
 * detector.
 */
import { lengthen } from './columns';

export const NO_ID = -1;

/** Lifetimes a key can have entries in: one bit each in a 32-bit mask. */
export const MAX_LIFETIMES = 31;

const INITIAL_CAPACITY = 1024;

export class KeyIndex {
  private readonly ids = new Map<string, number>();
  /** By id: its key while in use. */
  private readonly keyOf: (string | undefined)[] = [];
  /** By id: bit l set while the key has an entry in lifetime l. */
  private masks = new Uint32Array(INITIAL_CAPACITY);
  /** By id: 1 while its key is in the changed set (only when changes are tracked). */
  private marks: Uint8Array | undefined;
  private readonly free: number[] = [];
  private readonly changed: Set<string> | undefined;
  private readonly growers: ((capacity: number) => void)[] = [];
  /**
   * The ids of the last two keys looked up: an event's detectors ask for its account and its device (or
   * destination) in turn, once per lifetime, and all but the first ask of each key need no map lookup.
   */
  private keyA: string | undefined = undefined;
  private idA = NO_ID;
  private keyB: string | undefined = undefined;
  private idB = NO_ID;

  constructor(trackChanges: boolean) {
    this.changed = trackChanges ? new Set() : undefined;
    this.marks = trackChanges ? new Uint8Array(INITIAL_CAPACITY) : undefined;
  }

  /** Keys with an entry in some lifetime. */
  get keys(): number {
    return this.ids.size;
  }

  /** Ids handed out are below this; every store's columns are at least this long. */
  get capacity(): number {
    return this.masks.length;
  }

  /** Calls `grow` with the new capacity whenever it grows (a store lengthens its columns). */
  onGrow(grow: (capacity: number) => void): void {
    this.growers.push(grow);
  }

  /** `key`'s id, or NO_ID when it has no entry anywhere. */
  find(key: string): number {
    if (key === this.keyA) return this.idA;
    if (key === this.keyB) return this.idB;
    const id = this.ids.get(key);
    if (id === undefined) return NO_ID;
    this.remember(key, id);
    return id;
  }

  /** `key`'s id, given one (with no entries yet) if it has none. */
  idFor(key: string): number {
    const found = this.find(key);
    if (found !== NO_ID) return found;
    const id = this.free.pop() ?? this.keyOf.length;
    if (id === this.keyOf.length) {
      this.keyOf.push(key);
      if (id >= this.masks.length) this.grow();
    } else {
      this.keyOf[id] = key;
    }
    this.ids.set(key, id);
    this.remember(key, id);
    return id;
  }

  /** The key of an id in use. */
  keyAt(id: number): string {
    return this.keyOf[id] as string;
  }

  /** Which lifetimes the id's key has an entry in, one bit each. */
  lifetimes(id: number): number {
    return this.masks[id] ?? 0;
  }

  /** The id's key now has an entry in `lifetime`. */
  enter(id: number, lifetime: number): void {
    this.masks[id] = (this.masks[id] ?? 0) | (1 << lifetime);
  }

  /** The id's key no longer has an entry in `lifetime`; with its last entry the key goes and the id is free. */
  leave(id: number, lifetime: number): void {
    const mask = (this.masks[id] ?? 0) & ~(1 << lifetime);
    this.masks[id] = mask;
    if (mask !== 0) return;
    const key = this.keyAt(id);
    this.ids.delete(key);
    this.keyOf[id] = undefined;
    if (this.marks !== undefined) this.marks[id] = 0;
    this.free.push(id);
    if (this.keyA === key) this.idA = NO_ID;
    if (this.keyB === key) this.idB = NO_ID;
  }

  /** The id's state changed: its key is to be written to the changelog. */
  touched(id: number): void {
    const marks = this.marks;
    if (marks === undefined || marks[id] === 1) return;
    marks[id] = 1;
    this.changed?.add(this.keyAt(id));
  }

  /** The key changed in a way no entry records (an entry was dropped). */
  keyChanged(key: string): void {
    this.changed?.add(key);
  }

  /**
   * Hands every key changed since the last drain to `visit` with its id (NO_ID once it has no entry), once each,
   * in the order they first changed, and forgets them.
   */
  drain(visit: (key: string, id: number) => void): void {
    const changed = this.changed;
    const marks = this.marks;
    if (changed === undefined || marks === undefined || changed.size === 0) return;
    for (const key of changed) {
      const id = this.find(key);
      if (id !== NO_ID) marks[id] = 0;
      visit(key, id);
    }
    changed.clear();
  }

  private grow(): void {
    const capacity = this.masks.length * 2;
    this.masks = lengthen(this.masks, capacity, 0, (n) => new Uint32Array(n));
    if (this.marks !== undefined) this.marks = lengthen(this.marks, capacity, 0, (n) => new Uint8Array(n));
    for (const grow of this.growers) grow(capacity);
  }

  private remember(key: string, id: number): void {
    this.keyB = this.keyA;
    this.idB = this.idA;
    this.keyA = key;
    this.idA = id;
  }
}
