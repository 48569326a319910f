/**
 * Per-key state shared by several detectors: one entry per key (usually
 * an account) holding a slot for each member detector, instead of one entry
 * per detector. The per-key overhead (entry, key, wrapper) is then paid
 * once, and an event that ten detectors look at finds the entry once.
 *
 * A store is one state lifetime: detectors whose state lives equally long.
 * A pipeline's stores share one KeyIndex (key-index.ts), so a key's entries
 * in all of them are one map lookup away.
 *
 * Bounds as in every keyed map here: a hard cap on keys (least recently used
 * evicted past it) and a TTL in event time. Recency is a doubly linked list
 * through the entries, oldest first: a touch relinks the entry at the newest
 * end. (Keeping recency as the Map's insertion order, by deleting and
 * re-inserting the key on every touch, cost a third of replay's CPU time on a
 * large map: each re-insert leaves a tombstone, and the table is rehashed
 * every few hundred thousand touches.)
 */
import { KeyIndex, lifetimeOf, markOf, type IndexedEntry } from './key-index';

export type EvictionReason = 'capacity' | 'ttl';

export class SlotEntry implements IndexedEntry<SlotEntry> {
  older: SlotEntry | undefined = undefined;
  newer: SlotEntry | undefined = undefined;
  sibling: SlotEntry | undefined = undefined;
  mark: number;

  constructor(
    readonly key: string,
    lifetime: number,
    /** By member index of the entry's store. */
    readonly states: unknown[],
    public lastEventTime: number,
  ) {
    this.mark = markOf(lifetime);
  }

  get lifetime(): number {
    return lifetimeOf(this);
  }
}

export interface SlottedStateOptions {
  maxKeys: number;
  ttlMs: number;
  /** How many detectors share the store; each has a member index. */
  members: number;
  onEvict?: (member: number, reason: EvictionReason, count: number) => void;
  /** The key index the store shares with the pipeline's other stores, and its number there; a store of its own by default. */
  index?: KeyIndex<SlotEntry>;
  lifetime?: number;
}

export class SlottedState {
  private readonly index: KeyIndex<SlotEntry>;
  private readonly lifetime: number;
  /** Entries in this store. */
  private count = 0;
  private readonly live: number[];
  private ttlMs: number;
  /** Ends of the recency list: the least and the most recently touched entry. */
  private oldest: SlotEntry | undefined;
  private newest: SlotEntry | undefined;

  constructor(private readonly options: SlottedStateOptions) {
    if (!(options.maxKeys >= 1)) throw new RangeError('maxKeys must be at least 1');
    this.ttlMs = options.ttlMs;
    this.index = options.index ?? new KeyIndex<SlotEntry>(false);
    this.lifetime = options.lifetime ?? 0;
    this.live = new Array<number>(options.members).fill(0);
  }

  /** Keys held, whatever their members. */
  get size(): number {
    return this.count;
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
    // Several detectors look at each event in turn, mostly under the same key: the newest entry needs no lookup,
    // nor the one before it (an event's account after its device or its destination, as for calls and messages).
    let entry = this.recent(key) ?? this.index.find(key, this.lifetime);
    if (entry === undefined) {
      entry = this.add(key, eventTime);
    } else {
      if (entry !== this.newest) {
        this.unlink(entry);
        this.link(entry);
      }
      if (eventTime > entry.lastEventTime) entry.lastEventTime = eventTime;
    }
    this.index.touched(entry);
    let state = entry.states[member];
    if (state === undefined) {
      state = create();
      entry.states[member] = state;
      this.live[member] = (this.live[member] ?? 0) + 1;
    }
    return state;
  }

  /** The newest or second newest entry when it is `key`'s (Map.get on millions of keys misses the cache). */
  private recent(key: string): SlotEntry | undefined {
    const newest = this.newest;
    if (newest === undefined) return undefined;
    if (newest.key === key) return newest;
    const older = newest.older;
    return older !== undefined && older.key === key ? older : undefined;
  }

  peek(key: string, member: number): unknown {
    return this.index.find(key, this.lifetime)?.states[member];
  }

  /** A state reached without touch() (a timer) was changed in place. */
  markChanged(key: string): void {
    const entry = this.index.find(key, this.lifetime);
    if (entry !== undefined) this.index.touched(entry);
  }

  /** `member`'s keys, least recently used first, with their state and last event time. */
  *all(member: number): IterableIterator<{ key: string; state: unknown; lastEventTime: number }> {
    for (let entry = this.oldest; entry !== undefined; entry = entry.newer) {
      const state = entry.states[member];
      if (state !== undefined) yield { key: entry.key, state, lastEventTime: entry.lastEventTime };
    }
  }

  /** Puts `member`'s state for `key` back (restore from a snapshot). */
  restore(key: string, member: number, state: unknown, lastEventTime: number): void {
    let entry = this.index.find(key, this.lifetime);
    if (entry === undefined) {
      entry = this.add(key, lastEventTime);
    } else if (lastEventTime > entry.lastEventTime) {
      entry.lastEventTime = lastEventTime;
    }
    if (entry.states[member] === undefined) this.live[member] = (this.live[member] ?? 0) + 1;
    entry.states[member] = state;
  }

  /** Drops every state of `member` (before a restore replaces them). */
  clearMember(member: number): void {
    for (let entry = this.oldest; entry !== undefined; ) {
      const next = entry.newer;
      if (entry.states[member] !== undefined) {
        entry.states[member] = undefined;
        if (entry.states.every((s) => s === undefined)) this.forget(entry);
      }
      entry = next;
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
    while (this.oldest !== undefined && this.oldest.lastEventTime < cutoff) {
      this.drop(this.oldest, counts);
      evicted++;
    }
    this.report('ttl', counts);
    return evicted;
  }

  private evictOldest(): void {
    if (this.oldest === undefined) return;
    const counts = new Array<number>(this.live.length).fill(0);
    this.drop(this.oldest, counts);
    this.report('capacity', counts);
  }

  /** Appends `entry` at the newest end of the recency list. */
  private link(entry: SlotEntry): void {
    entry.older = this.newest;
    entry.newer = undefined;
    if (this.newest === undefined) this.oldest = entry;
    else this.newest.newer = entry;
    this.newest = entry;
  }

  private unlink(entry: SlotEntry): void {
    if (entry.older === undefined) this.oldest = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) this.newest = entry.older;
    else entry.newer.older = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  }

  /** A new entry for `key` (which has none here), the newest; the oldest makes room past maxKeys. */
  private add(key: string, lastEventTime: number): SlotEntry {
    if (this.count >= this.options.maxKeys) this.evictOldest();
    const entry = new SlotEntry(key, this.lifetime, new Array<unknown>(this.options.members), lastEventTime);
    this.index.insert(entry);
    this.count++;
    this.link(entry);
    return entry;
  }

  /** Takes an entry out of the store: its index, its count and the recency list. */
  private forget(entry: SlotEntry): void {
    this.index.remove(entry);
    this.count--;
    this.unlink(entry);
  }

  private drop(entry: SlotEntry, counts: number[]): void {
    this.forget(entry);
    this.index.keyChanged(entry.key);
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
