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
 * ones. A ring of ids (for order) plus a Set (for lookup) keeps memory fixed;
 * an id older than the last `capacity` distinct ids is forgotten and would be
 * taken as new, so size it to cover the records between two commits for the
 * scope it serves (a key or a partition). A duplicate does not refresh its
 * id's place: the ring forgets in order of first sight.
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
  private readonly seen = new Set<string>();
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number ≥ 1, got ${capacity}`);
  }

  get size(): number {
    return this.seen.size;
  }

  has(id: string): boolean {
    return this.seen.has(id);
  }

  /** `duplicate` when `id` is among the remembered ids; otherwise remembers it and says `new`. */
  check(id: string): DuplicateVerdict {
    if (this.seen.has(id)) return 'duplicate';
    if (this.ids.length < this.capacity) {
      this.ids.push(id);
    } else {
      const oldest = this.ids[this.next];
      if (oldest !== undefined) this.seen.delete(oldest);
      this.ids[this.next] = id;
      this.next = (this.next + 1) % this.capacity;
    }
    this.seen.add(id);
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
