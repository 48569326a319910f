/**
 * Remembers the last `capacity` event ids and says whether an id was seen.
 *
 * Why: Kafka delivers at least once. After a crash or a rebalance the records
 * since the last committed offset are delivered again, and a window that
 * counted them the first time would count them twice: a false "more than N"
 * finding against a customer. Checking the event id before any window sees
 * the event makes redelivery harmless.
 *
 * Why bounded and first-in-first-out: redelivery replays only what came
 * after the last commit, so the ids worth remembering are the most recent
 * ones. A ring of ids (for order) plus a hash table of ring positions (for
 * lookup) keeps memory fixed; an id older than the last `capacity` distinct
 * ids is forgotten and would be taken as new, so size it to cover the records
 * between two commits for the scope it serves (a key or a partition). A
 * duplicate does not refresh its id's place: the ring forgets in order of
 * first sight.
 *
 * Why a table of our own rather than a Set: every event is checked, and the
 * Set's lookup, delete of the oldest id and add (≈ 5% of replay's CPU time)
 * cost two to three times what an open-addressing table of ring positions
 * does (typed arrays, linear probing, at most half full, removal by shifting
 * the entries after it back so no tombstones are left). Ids are hashed here
 * (FNV-1a); a collision only costs a probe, as ids are compared in full, so
 * verdicts never depend on the hash. Ids crafted to collide would lengthen
 * probes: event ids are assigned by the platform, not by the customers whose
 * traffic they label.
 *
 * toData() and fromData() give the state as plain data for the changelog, so
 * the filter survives a restart with the rest of the key's state — which is
 * exactly when redelivery happens.
 */
export interface DuplicateFilterData {
  capacity: number;
  /** The ring as stored: ids[next] is the oldest once the ring is full. */
  ids: string[];
  next: number;
}

export type DuplicateVerdict = 'new' | 'duplicate';

/** FNV-1a over the id's UTF-16 code units, with a final mix so the low bits (the home slot) depend on every unit. */
function hashOf(id: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 15);
}

export class DuplicateFilter {
  private readonly ids: string[] = [];
  private next = 0;
  /** hashes[p]: the hash of ids[p]. */
  private readonly hashes: Int32Array;
  /** Open addressing, linear probing: a slot holds a ring position plus one, 0 when empty. At least twice `capacity` slots. */
  private readonly table: Int32Array;
  private readonly mask: number;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number ≥ 1, got ${capacity}`);
    let slots = 2;
    while (slots < 2 * capacity) slots *= 2;
    this.table = new Int32Array(slots);
    this.mask = slots - 1;
    this.hashes = new Int32Array(capacity);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.find(id, hashOf(id)) >= 0;
  }

  /** `duplicate` when `id` is among the remembered ids; otherwise remembers it and says `new`. */
  check(id: string): DuplicateVerdict {
    const hash = hashOf(id);
    if (this.find(id, hash) >= 0) return 'duplicate';
    let position: number;
    if (this.ids.length < this.capacity) {
      position = this.ids.length;
      this.ids.push(id);
    } else {
      position = this.next;
      this.remove(position);
      this.ids[position] = id;
      this.next = (this.next + 1) % this.capacity;
    }
    this.hashes[position] = hash;
    let slot = hash & this.mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
    this.table[slot] = position + 1;
    return 'new';
  }

  /** The table slot holding `id`, or -1. */
  private find(id: string, hash: number): number {
    for (let slot = hash & this.mask; this.table[slot] !== 0; slot = (slot + 1) & this.mask) {
      const position = (this.table[slot] as number) - 1;
      if (this.hashes[position] === hash && this.ids[position] === id) return slot;
    }
    return -1;
  }

  /**
   * Takes ring position `position` out of the table, then moves back each
   * entry after it in the same run that may no longer be reachable from its
   * home slot (backward-shift deletion: no tombstones, probes stay short).
   */
  private remove(position: number): void {
    const mask = this.mask;
    let hole = (this.hashes[position] as number) & mask;
    while (this.table[hole] !== position + 1) hole = (hole + 1) & mask;
    for (let slot = (hole + 1) & mask; this.table[slot] !== 0; slot = (slot + 1) & mask) {
      const home = (this.hashes[(this.table[slot] as number) - 1] as number) & mask;
      // The entry may fill the hole when its home is not cyclically within (hole, slot].
      const reachable = hole <= slot ? home > hole && home <= slot : home > hole || home <= slot;
      if (!reachable) {
        this.table[hole] = this.table[slot] as number;
        hole = slot;
      }
    }
    this.table[hole] = 0;
  }

  toData(): DuplicateFilterData {
    return { capacity: this.capacity, ids: [...this.ids], next: this.next };
  }

  /**
   * The same filter back. With a different `capacity` (a configuration
   * change), the newest ids that fit are kept.
   */
  static fromData(data: DuplicateFilterData, capacity: number = data.capacity): DuplicateFilter {
    const filter = new DuplicateFilter(capacity);
    const next = data.ids.length > 0 ? data.next % data.ids.length : 0;
    // Replay oldest first, so the ring forgets in the same order as before.
    for (const id of [...data.ids.slice(next), ...data.ids.slice(0, next)]) filter.check(id);
    return filter;
  }
}
