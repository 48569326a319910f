/**
 * Event-time order across the sources of one partition (Kafka Streams'
 * PartitionGroup). Calls, messages, registrations and reports of the same
 * accounts arrive on four topics, fetched in batches that each cover a
 * stretch of event time. Processed batch after batch, a catch-up (a restart,
 * a new deployment, a backlog) would run the partition's stream time hours
 * ahead on one topic and make everything on the others late. So records wait
 * here, per source in arrival (offset) order, and leave in event-time order:
 * always the source whose next record is oldest.
 *
 * A source with nothing buffered may still have older records on the way,
 * so it holds the others back, unless it is caught up (the edge knows it has
 * fetched everything there was) or has been quiet for `idleMs` of processing
 * time (Kafka Streams' max.task.idle.ms). Buffers are bounded by the edge:
 * it stops fetching a source that is `full()`.
 */
export interface TimeMergeOptions {
  /** Records a source may buffer before full() asks the edge to stop fetching it. */
  maxBuffered: number;
  /** Processing time after which an empty source that is not caught up stops holding the others back. */
  idleMs: number;
}

interface Source<T> {
  items: T[];
  times: number[];
  /** Index of the next item (the queue's head); items before it are taken. */
  head: number;
  caughtUp: boolean;
  /** Processing time of the last add() or setCaughtUp(). */
  lastHeardAt: number;
}

export class TimeMerge<T> {
  private readonly sources = new Map<string, Source<T>>();

  constructor(
    names: readonly string[],
    private readonly options: TimeMergeOptions,
    now: number,
  ) {
    for (const name of names) this.sources.set(name, { items: [], times: [], head: 0, caughtUp: false, lastHeardAt: now });
  }

  /**
   * Appends `source`'s records in offset order. `times[i]` is item i's event
   * time; -Infinity lets an item through at once (a record that will not
   * decode has no time, and must not wait).
   */
  add(source: string, items: readonly T[], times: readonly number[], caughtUp: boolean, now: number): void {
    const s = this.source(source);
    if (items.length !== times.length) throw new RangeError(`${items.length} items but ${times.length} times`);
    s.items.push(...items);
    s.times.push(...times);
    s.caughtUp = caughtUp;
    s.lastHeardAt = now;
  }

  /** What the edge learnt without records: the source has (or has not) been read to its end. */
  setCaughtUp(source: string, caughtUp: boolean, now: number): void {
    const s = this.source(source);
    s.caughtUp = caughtUp;
    s.lastHeardAt = now;
  }

  buffered(source: string): number {
    const s = this.source(source);
    return s.items.length - s.head;
  }

  /** Records wait in some source. */
  holding(): boolean {
    for (const s of this.sources.values()) if (s.head < s.items.length) return true;
    return false;
  }

  /** Some source has more to fetch than it has delivered: the partition is catching up. */
  backlogged(): boolean {
    for (const s of this.sources.values()) if (!s.caughtUp) return true;
    return false;
  }

  full(source: string): boolean {
    return this.buffered(source) >= this.options.maxBuffered;
  }

  /**
   * Takes records in event-time order for as long as no source that may
   * still have older ones is empty (and at most `limit`). Ties go to the
   * source named first. Returns how many it took.
   */
  drain(now: number, take: (source: string, item: T) => void, limit = Number.POSITIVE_INFINITY): number {
    let taken = 0;
    while (taken < limit) {
      let best: [string, Source<T>] | undefined;
      let bestTime = Number.POSITIVE_INFINITY;
      let blocked = false;
      for (const entry of this.sources) {
        const s = entry[1];
        if (s.head < s.items.length) {
          const t = s.times[s.head] as number;
          if (best === undefined || t < bestTime) {
            best = entry;
            bestTime = t;
          }
        } else if (!s.caughtUp && now - s.lastHeardAt < this.options.idleMs) {
          blocked = true;
        }
      }
      // An item that passes at once (-Infinity) never waits for a blocked source: it is older than anything.
      if (!best || (blocked && bestTime !== Number.NEGATIVE_INFINITY)) break;
      const [name, s] = best;
      take(name, s.items[s.head] as T);
      s.head++;
      taken++;
      if (s.head === s.items.length) {
        s.items.length = 0;
        s.times.length = 0;
        s.head = 0;
      } else if (s.head > 4096 && s.head * 2 > s.items.length) {
        // Drop the taken prefix now and then, so a long-buffered source does not keep it alive.
        s.items.splice(0, s.head);
        s.times.splice(0, s.head);
        s.head = 0;
      }
    }
    return taken;
  }

  private source(name: string): Source<T> {
    const s = this.sources.get(name);
    if (!s) throw new RangeError(`unknown source ${name}`);
    return s;
  }
}
