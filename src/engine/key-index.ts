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
 * It also keeps the keys changed since the last drain(), for the changelog:
 * as ids, not strings, so that marking a key changed (every event, for its
 * account and its device) and draining it (every commit) need no hashing of
 * the key. A flag per id says whether it is in the list already, so an event
 * that several detectors look at adds the key once, not once per detector.
 * A key that goes (its last entry dropped) while changed is noted by its
 * string, since its id may go to another key before the drain.
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
  /** By id: 1 while its key is in the changed list (only when changes are tracked). */
  private marks: Uint8Array | undefined;
  private readonly free: number[] = [];
  /**
   * Changed since the last drain, in order: an id (>= 0; its entry is stale once its flag is down), or ~i for
   * gone[i], a key that went. Undefined when changes are not tracked.
   */
  private readonly changed: number[] | undefined;
  /** Keys that went while changed, or were changed in a way no entry records: rare (evictions, expiry). */
  private readonly gone: string[] = [];
  private readonly goneSet = new Set<string>();
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
    this.changed = trackChanges ? [] : undefined;
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
    if (this.marks !== undefined) {
      // Its id may be another key's by the drain: the change is kept by the key's string instead.
      if (this.marks[id] === 1) this.wentWhileChanged(key);
      this.marks[id] = 0;
    }
    this.free.push(id);
    if (this.keyA === key) this.idA = NO_ID;
    if (this.keyB === key) this.idB = NO_ID;
  }

  /** The id's state changed: its key is to be written to the changelog. */
  touched(id: number): void {
    const marks = this.marks;
    if (marks === undefined || marks[id] === 1) return;
    marks[id] = 1;
    this.changed?.push(id);
  }

  /** The key changed in a way no entry records (an entry was dropped). */
  keyChanged(key: string): void {
    if (this.changed === undefined) return;
    const id = this.find(key);
    if (id !== NO_ID) this.touched(id);
    else this.wentWhileChanged(key);
  }

  /**
   * Hands every key changed since the last drain to `visit` with its id (NO_ID once it has no entry), once each,
   * and forgets them. The order is roughly that of the changes (a key that went comes where it went; a key given a
   * freed id may come where that id's last key changed): nothing may rely on it, as a changelog's records of
   * different keys need none.
   */
  drain(visit: (key: string, id: number) => void): void {
    const changed = this.changed;
    const marks = this.marks;
    if (changed === undefined || marks === undefined || changed.length === 0) return;
    for (let i = 0; i < changed.length; i++) {
      const entry = changed[i] as number;
      if (entry >= 0) {
        if (marks[entry] !== 1) continue;
        marks[entry] = 0;
        const key = this.keyOf[entry] as string;
        // A key that went and came back may be visited here first: then its entry as a key that went is done.
        if (this.goneSet.size > 0) this.goneSet.delete(key);
        visit(key, entry);
        continue;
      }
      // A key that went: gone still, or back under an id (visited here, so its own entry, later, is skipped).
      const key = this.gone[~entry] as string;
      if (!this.goneSet.has(key)) continue;
      const id = this.find(key);
      if (id !== NO_ID) marks[id] = 0;
      visit(key, id);
    }
    changed.length = 0;
    this.gone.length = 0;
    this.goneSet.clear();
  }

  /** Notes `key` as changed by its string, once. */
  private wentWhileChanged(key: string): void {
    if (this.changed === undefined || this.goneSet.has(key)) return;
    this.goneSet.add(key);
    this.changed.push(~this.gone.length);
    this.gone.push(key);
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
