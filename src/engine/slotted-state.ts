/**
 * Per-key state shared by several detectors: one map entry per key (usually
 * an account) holding a slot for each member detector, instead of one entry
 * per detector. The map's per-key overhead (entry, key, wrapper) is then paid
 * once, and an event that ten detectors look at touches the map once.
 *
 * Bounds as in every keyed map here: a hard cap on keys (least recently used
 * evicted past it) and a TTL in event time. The map's insertion order is the
 * recency order; a touch moves a key to the end unless it is already there.
 */
export type EvictionReason = 'capacity' | 'ttl';

interface SlotEntry {
  states: unknown[];
  lastEventTime: number;
}

export interface SlottedStateOptions {
  maxKeys: number;
  ttlMs: number;
  /** How many detectors share the store; each has a member index. */
  members: number;
  onEvict?: (member: number, reason: EvictionReason, count: number) => void;
  /** Remember which keys changed (touched, evicted), for a changelog to persist; off for replay. */
  trackChanges?: boolean;
}

export class SlottedState {
  private readonly entries = new Map<string, SlotEntry>();
  private readonly live: number[];
  private ttlMs: number;
  private newestKey: string | undefined;
  /** Keys touched or dropped since the last takeChanged(); bounded by the keys a commit interval sees. */
  private readonly changed: Set<string> | undefined;

  constructor(private readonly options: SlottedStateOptions) {
    if (!(options.maxKeys >= 1)) throw new RangeError('maxKeys must be at least 1');
    this.ttlMs = options.ttlMs;
    this.changed = options.trackChanges === true ? new Set() : undefined;
    this.live = new Array<number>(options.members).fill(0);
  }

  /** Keys held, whatever their members. */
  get size(): number {
    return this.entries.size;
  }

  /** Keys for which `member` holds state. */
  liveCount(member: number): number {
    return this.live[member] ?? 0;
  }

  setTtl(ttlMs: number): void {
    this.ttlMs = ttlMs;
  }

  /** `member`'s state for `key`, created with `create` if absent; marks the key used at `eventTime`. */
  touch(key: string, member: number, eventTime: number, create: () => unknown): unknown {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      if (this.entries.size >= this.options.maxKeys) this.evictOldest();
      entry = { states: new Array<unknown>(this.options.members), lastEventTime: eventTime };
      this.entries.set(key, entry);
    } else {
      if (this.newestKey !== key) {
        this.entries.delete(key);
        this.entries.set(key, entry);
      }
      if (eventTime > entry.lastEventTime) entry.lastEventTime = eventTime;
    }
    this.newestKey = key;
    this.changed?.add(key);
    let state = entry.states[member];
    if (state === undefined) {
      state = create();
      entry.states[member] = state;
      this.live[member] = (this.live[member] ?? 0) + 1;
    }
    return state;
  }

  peek(key: string, member: number): unknown {
    return this.entries.get(key)?.states[member];
  }

  /** When `key` was last used (event time), if it is held. */
  lastEventTime(key: string): number | undefined {
    return this.entries.get(key)?.lastEventTime;
  }

  /** A state reached without touch() (a timer) was changed in place. */
  markChanged(key: string): void {
    this.changed?.add(key);
  }

  /** Keys changed or dropped since the last call; each is to be written (or deleted) downstream. */
  takeChanged(): string[] {
    if (!this.changed || this.changed.size === 0) return [];
    const keys = [...this.changed];
    this.changed.clear();
    return keys;
  }

  /** `member`'s keys, least recently used first, with their state and last event time. */
  *all(member: number): IterableIterator<{ key: string; state: unknown; lastEventTime: number }> {
    for (const [key, entry] of this.entries) {
      const state = entry.states[member];
      if (state !== undefined) yield { key, state, lastEventTime: entry.lastEventTime };
    }
  }

  /** Puts `member`'s state for `key` back (restore from a snapshot). */
  restore(key: string, member: number, state: unknown, lastEventTime: number): void {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      if (this.entries.size >= this.options.maxKeys) this.evictOldest();
      entry = { states: new Array<unknown>(this.options.members), lastEventTime };
      this.entries.set(key, entry);
    } else if (lastEventTime > entry.lastEventTime) {
      entry.lastEventTime = lastEventTime;
    }
    if (entry.states[member] === undefined) this.live[member] = (this.live[member] ?? 0) + 1;
    entry.states[member] = state;
  }

  /** Drops every state of `member` (before a restore replaces them). */
  clearMember(member: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.states[member] === undefined) continue;
      entry.states[member] = undefined;
      if (entry.states.every((s) => s === undefined)) this.entries.delete(key);
    }
    this.live[member] = 0;
  }

  /**
   * Drops keys not seen for ttlMs before `watermark`. Walks from the least
   * recently touched and stops at the first live key: a key touched recently
   * by a straggler may outlive its TTL until a later sweep passes it, which
   * errs on keeping state, never on losing it early.
   */
  sweep(watermark: number): number {
    const cutoff = watermark - this.ttlMs;
    let evicted = 0;
    const counts = new Array<number>(this.live.length).fill(0);
    for (const [key, entry] of this.entries) {
      if (entry.lastEventTime >= cutoff) break;
      this.drop(key, entry, counts);
      evicted++;
    }
    this.report('ttl', counts);
    return evicted;
  }

  private evictOldest(): void {
    const oldest = this.entries.entries().next();
    if (oldest.done) return;
    const counts = new Array<number>(this.live.length).fill(0);
    this.drop(oldest.value[0], oldest.value[1], counts);
    this.report('capacity', counts);
  }

  private drop(key: string, entry: SlotEntry, counts: number[]): void {
    this.entries.delete(key);
    this.changed?.add(key);
    if (this.newestKey === key) this.newestKey = undefined;
    entry.states.forEach((s, member) => {
      if (s === undefined) return;
      counts[member] = (counts[member] ?? 0) + 1;
      this.live[member] = (this.live[member] ?? 1) - 1;
    });
  }

  private report(reason: EvictionReason, counts: number[]): void {
    counts.forEach((n, member) => {
      if (n > 0) this.options.onEvict?.(member, reason, n);
    });
  }
}
