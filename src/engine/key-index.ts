/**
 * One map from a key to its entries in every store of a pipeline. Detectors
 * whose state lives equally long share a store (a lifetime); an account has
 * an entry in each of the three or so lifetimes. With a map per store, an
 * event looked its account up once per store, and a commit once more per
 * store for the changelog: each a cache miss on a table of hundreds of
 * thousands of keys, and together the largest share of the engine's time
 * after garbage collection. Here the stores share one map, whose value is
 * the key's entry in one lifetime, chained to its entries in the others:
 * one lookup per key and event, and one per key and commit.
 *
 * It also keeps the set of keys changed since the last drain(), for the
 * changelog: an entry's mark says whether its key is in the set already, so
 * an event that several detectors look at adds the key once, not once per
 * detector.
 */
export interface IndexedEntry<E> {
  readonly key: string;
  /**
   * The store (lifetime) the entry belongs to, times two, plus one while the key is in the changed set (only when
   * changes are tracked): one field, not two, on an object there are millions of (see lifetimeOf).
   */
  mark: number;
  /** The same key's entry in another lifetime: the chain holds at most one per lifetime, in lifetime order. */
  sibling: E | undefined;
}

/** The store (lifetime) of an entry. */
export const lifetimeOf = (entry: IndexedEntry<unknown>): number => entry.mark >> 1;

/** The mark of a new entry in `lifetime`, not yet in the changed set. */
export const markOf = (lifetime: number): number => lifetime * 2;

export class KeyIndex<E extends IndexedEntry<E>> {
  private readonly heads = new Map<string, E>();
  private readonly changed: Set<string> | undefined;
  /**
   * The chains of the last two keys looked up: an event's detectors ask for its account and its device (or
   * destination) in turn, once per lifetime, and all but the first ask of each key need no map lookup.
   */
  private keyA: string | undefined = undefined;
  private headA: E | undefined = undefined;
  private keyB: string | undefined = undefined;
  private headB: E | undefined = undefined;

  constructor(trackChanges: boolean) {
    this.changed = trackChanges ? new Set() : undefined;
  }

  /** Keys with an entry in some lifetime. */
  get keys(): number {
    return this.heads.size;
  }

  /** `key`'s entry in `lifetime`, if it has one. */
  find(key: string, lifetime: number): E | undefined {
    let entry = this.head(key);
    while (entry !== undefined && lifetimeOf(entry) !== lifetime) entry = entry.sibling;
    return entry;
  }

  /** The first of `key`'s entries; the others follow through `sibling`. */
  head(key: string): E | undefined {
    if (key === this.keyA) return this.headA;
    if (key === this.keyB) return this.headB;
    const head = this.heads.get(key);
    if (head !== undefined) this.remember(key, head);
    return head;
  }

  /**
   * Adds a new entry (its key has none in its lifetime yet). A key's chain is kept in lifetime order, so what is
   * built from it (a changelog value) does not depend on the order its entries came in.
   */
  insert(entry: E): void {
    const head = this.head(entry.key);
    const lifetime = lifetimeOf(entry);
    if (head === undefined || lifetime < lifetimeOf(head)) {
      entry.sibling = head;
      this.heads.set(entry.key, entry);
      this.rehead(entry.key, entry);
      return;
    }
    let before = head;
    while (before.sibling !== undefined && lifetimeOf(before.sibling) < lifetime) before = before.sibling;
    entry.sibling = before.sibling;
    before.sibling = entry;
  }

  /** Takes an entry out; the key goes when its last entry does. */
  remove(entry: E): void {
    const head = this.head(entry.key);
    if (head === entry) {
      const next = entry.sibling;
      if (next === undefined) this.heads.delete(entry.key);
      else this.heads.set(entry.key, next);
      this.rehead(entry.key, next);
    } else {
      let before = head;
      while (before !== undefined && before.sibling !== entry) before = before.sibling;
      if (before !== undefined) before.sibling = entry.sibling;
    }
    entry.sibling = undefined;
  }

  /** The entry's state changed: its key is to be written to the changelog. */
  touched(entry: E): void {
    if ((entry.mark & 1) === 1 || this.changed === undefined) return;
    entry.mark |= 1;
    this.changed.add(entry.key);
  }

  /** The key changed in a way no entry records (an entry was dropped). */
  keyChanged(key: string): void {
    this.changed?.add(key);
  }

  /**
   * Hands every key changed since the last drain to `visit` with its first entry (undefined once it has none),
   * once each, and forgets them.
   */
  drain(visit: (key: string, head: E | undefined) => void): void {
    const changed = this.changed;
    if (changed === undefined || changed.size === 0) return;
    for (const key of changed) {
      const head = this.head(key);
      for (let e = head; e !== undefined; e = e.sibling) e.mark &= ~1;
      visit(key, head);
    }
    changed.clear();
  }

  /** `key`'s chain starts elsewhere now (or is gone): the remembered chains follow. */
  private rehead(key: string, head: E | undefined): void {
    if (this.keyA === key) this.headA = head;
    else if (this.keyB === key) this.headB = head;
    else if (head !== undefined) this.remember(key, head);
  }

  private remember(key: string, head: E): void {
    this.keyB = this.keyA;
    this.headB = this.headA;
    this.keyA = key;
    this.headA = head;
  }
}
