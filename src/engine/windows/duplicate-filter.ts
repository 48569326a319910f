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
 * ones. A ring of ids (for order) plus two maps (for lookup) keep memory
 * fixed; an id older than the last `capacity` distinct ids is forgotten and
 * would be taken as new, so size it to cover the records between two commits
 * for the scope it serves (a key or a partition). A duplicate does not
 * refresh its id's place: the ring forgets in order of first sight.
 *
 * Why two maps and no delete: a Set with a delete and an add per id (the
 * first version) leaves a tombstone per event, and a table of 100,000 ids
 * is rehashed every few tens of thousands of events (≈ 4% of replay's CPU
 * time). Instead each id maps to its sequence number (the how-manieth new id
 * it was): `young` holds the newest ids, `old` the generation before; when
 * `young` holds `capacity` ids it becomes `old`, and the previous `old` is
 * dropped whole. An id is remembered while its sequence number is among the
 * last `capacity`: always true in `young` (it holds fewer), checked in `old`.
 * So the verdicts are exactly the ring's, at the cost of up to 2 × `capacity`
 * map entries.
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

export class DuplicateFilter {
  private readonly ids: string[] = [];
  private next = 0;
  /** Sequence number of first sight per id: the newest generation, and the one before. */
  private young = new Map<string, number>();
  private old = new Map<string, number>();
  /** New ids so far: the next id's sequence number. */
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number ≥ 1, got ${capacity}`);
  }

  get size(): number {
    return Math.min(this.count, this.capacity);
  }

  has(id: string): boolean {
    if (this.young.has(id)) return true;
    const seq = this.old.get(id);
    return seq !== undefined && seq >= this.count - this.capacity;
  }

  /** `duplicate` when `id` is among the remembered ids; otherwise remembers it and says `new`. */
  check(id: string): DuplicateVerdict {
    if (this.has(id)) return 'duplicate';
    if (this.ids.length < this.capacity) {
      this.ids.push(id);
    } else {
      this.ids[this.next] = id;
      this.next = (this.next + 1) % this.capacity;
    }
    this.young.set(id, this.count++);
    if (this.young.size >= this.capacity) {
      this.old = this.young;
      this.young = new Map();
    }
    return 'new';
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
