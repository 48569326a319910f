/**
 * Per-key state with a hard cap and a TTL in event time, so memory is bounded
 * by configuration, not by traffic. The Map's insertion order doubles as
 * least-recently-used order (a touched key is moved to the end), so both
 * capacity and TTL eviction take the oldest keys first in O(evicted).
 */
export type EvictionReason = 'capacity' | 'ttl';

export interface KeyedStateOptions<S> {
  maxKeys: number;
  ttlMs: number;
  create: () => S;
  onEvict?: (reason: EvictionReason, count: number) => void;
}

interface Entry<S> {
  state: S;
  lastEventTime: number;
}

export class KeyedState<S> {
  private readonly entries = new Map<string, Entry<S>>();
  private ttlMs: number;

  constructor(private readonly options: KeyedStateOptions<S>) {
    if (!(options.maxKeys >= 1)) throw new RangeError('maxKeys must be at least 1');
    this.ttlMs = options.ttlMs;
  }

  /** A policy reload may lengthen or shorten the windows that the state must cover. */
  setTtl(ttlMs: number): void {
    this.ttlMs = ttlMs;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The state of `key`, created if absent; marks it used at `eventTime`. */
  touch(key: string, eventTime: number): S {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      if (eventTime > entry.lastEventTime) entry.lastEventTime = eventTime;
      this.entries.set(key, entry);
      return entry.state;
    }
    if (this.entries.size >= this.options.maxKeys) this.evictOldest();
    const created: Entry<S> = { state: this.options.create(), lastEventTime: eventTime };
    this.entries.set(key, created);
    return created.state;
  }

  peek(key: string): S | undefined {
    return this.entries.get(key)?.state;
  }

  /** Every key, least recently used first, with its state and the last event time that touched it. */
  *all(): IterableIterator<{ key: string; state: S; lastEventTime: number }> {
    for (const [key, entry] of this.entries) yield { key, state: entry.state, lastEventTime: entry.lastEventTime };
  }

  /** Puts a key back as it was (restore from a snapshot), as the most recently used. */
  restore(key: string, state: S, lastEventTime: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.options.maxKeys) this.evictOldest();
    this.entries.set(key, { state, lastEventTime });
  }

  clear(): void {
    this.entries.clear();
  }

  /**
   * Drops keys not seen for ttlMs before `watermark`. Walks from the least
   * recently touched and stops at the first live key: a key touched recently
   * by a straggler may outlive its TTL until the next sweep passes it, which
   * errs on keeping state, never on losing it early.
   */
  sweep(watermark: number): number {
    const cutoff = watermark - this.ttlMs;
    let evicted = 0;
    for (const [key, entry] of this.entries) {
      if (entry.lastEventTime >= cutoff) break;
      this.entries.delete(key);
      evicted++;
    }
    if (evicted > 0) this.options.onEvict?.('ttl', evicted);
    return evicted;
  }

  private evictOldest(): void {
    const oldest = this.entries.keys().next();
    if (!oldest.done) {
      this.entries.delete(oldest.value);
      this.options.onEvict?.('capacity', 1);
    }
  }
}
