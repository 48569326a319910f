/**
 * Per-key state shared by several detectors: one entry per key (usually
 * an account) holding a slot for each member detector, instead of one entry
 * per detector. The per-key overhead is then paid once, and an event that
 * ten detectors look at finds the entry once.
 *
 * A store is one state lifetime: detectors whose state lives equally long.
 * A pipeline's stores share one KeyIndex (key-index.ts), which gives each key
 * an id; a store keeps its entries in columns indexed by that id (the last
 * event time, the recency links, and one column of states per member), so an
 * entry is no object of its own: at a million accounts that was four objects
 * per key and store for the collector to mark, and a cache miss for each on
 * the way to a detector's state.
 *
 * Bounds as in every keyed map here: a hard cap on keys (least recently used
 * evicted past it) and a TTL in event time. Recency is a doubly linked list
 * through the entries (by id), oldest first: a touch relinks the entry at the
 * newest end. (Keeping recency as a Map's insertion order, by deleting and
 * re-inserting the key on every touch, cost a third of replay's CPU time on a
 * large map: each re-insert leaves a tombstone, and the table is rehashed
 * every few hundred thousand touches.)
 */
import { KeyIndex, MAX_LIFETIMES, NO_ID } from './key-index';

export type EvictionReason = 'capacity' | 'ttl';

export interface SlottedStateOptions {
  maxKeys: number;
  ttlMs: number;
  /** How many detectors share the store; each has a member index. */
  members: number;
  onEvict?: (member: number, reason: EvictionReason, count: number) => void;
  /** The key index the store shares with the pipeline's other stores, and its number there; a store of its own by default. */
  index?: KeyIndex;
  lifetime?: number;
}

/** Columns of `length` with every entry absent: `fill` for a typed column, undefined states. */
const int32Column = (length: number, from?: Int32Array): Int32Array => {
  const column = new Int32Array(length).fill(NO_ID);
  if (from) column.set(from);
  return column;
};

export class SlottedState {
  private readonly index: KeyIndex;
  private readonly lifetime: number;
  /** Entries in this store. */
  private count = 0;
  private readonly live: number[];
  private ttlMs: number;
  /** By id: the key's last event time here. */
  private times: Float64Array;
  /** By id: the entry touched just before it and just after it (NO_ID at the ends). */
  private older: Int32Array;
  private newer: Int32Array;
  /**
   * By member, by id: the member's state for the key, undefined if none. Plain arrays grown by push, so they stay
   * packed (an array made at its full length, or written past its end, can fall back to a dictionary).
   */
  private readonly slots: unknown[][];
  /** Ends of the recency list: the least and the most recently touched entry. */
  private oldest = NO_ID;
  private newest = NO_ID;

  constructor(private readonly options: SlottedStateOptions) {
    if (!(options.maxKeys >= 1)) throw new RangeError('maxKeys must be at least 1');
    this.lifetime = options.lifetime ?? 0;
    if (!(this.lifetime >= 0 && this.lifetime < MAX_LIFETIMES)) throw new RangeError(`lifetime must be 0 to ${MAX_LIFETIMES - 1}`);
    this.ttlMs = options.ttlMs;
    this.index = options.index ?? new KeyIndex(false);
    this.live = new Array<number>(options.members).fill(0);
    const capacity = this.index.capacity;
    this.times = new Float64Array(capacity);
    this.older = int32Column(capacity);
    this.newer = int32Column(capacity);
    this.slots = Array.from({ length: options.members }, () => []);
    this.grow(capacity);
    this.index.onGrow((n) => this.grow(n));
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
    const id = this.index.idFor(key);
    if (!this.index.holds(id, this.lifetime)) {
      this.add(id, eventTime);
    } else {
      if (id !== this.newest) {
        this.unlink(id);
        this.link(id);
      }
      if (eventTime > (this.times[id] as number)) this.times[id] = eventTime;
    }
    this.index.touched(id);
    const states = this.slots[member] as unknown[];
    let state = states[id];
    if (state === undefined) {
      state = create();
      states[id] = state;
      this.live[member] = (this.live[member] ?? 0) + 1;
    }
    return state;
  }

  /** The id of `key`'s entry here, or NO_ID. */
  private idOf(key: string): number {
    const id = this.index.find(key);
    return id !== NO_ID && this.index.holds(id, this.lifetime) ? id : NO_ID;
  }

  peek(key: string, member: number): unknown {
    const id = this.idOf(key);
    return id === NO_ID ? undefined : this.stateAt(member, id);
  }

  /** `member`'s state for the key with id `id`, undefined if none (the id's key need not be here). */
  stateAt(member: number, id: number): unknown {
    return this.slots[member]?.[id];
  }

  /** The last event time of the key with id `id`, which has an entry here. */
  timeAt(id: number): number {
    return this.times[id] as number;
  }

  /** A state reached without touch() (a timer) was changed in place. */
  markChanged(key: string): void {
    const id = this.idOf(key);
    if (id !== NO_ID) this.index.touched(id);
  }

  /** `member`'s keys, least recently used first, with their state and last event time. */
  *all(member: number): IterableIterator<{ key: string; state: unknown; lastEventTime: number }> {
    for (let id = this.oldest; id !== NO_ID; id = this.newer[id] as number) {
      const state = this.stateAt(member, id);
      if (state !== undefined) yield { key: this.index.keyAt(id), state, lastEventTime: this.timeAt(id) };
    }
  }

  /** Puts `member`'s state for `key` back (restore from a snapshot). */
  restore(key: string, member: number, state: unknown, lastEventTime: number): void {
    const id = this.index.idFor(key);
    if (!this.index.holds(id, this.lifetime)) {
      this.add(id, lastEventTime);
    } else if (lastEventTime > (this.times[id] as number)) {
      this.times[id] = lastEventTime;
    }
    const states = this.slots[member] as unknown[];
    if (states[id] === undefined) this.live[member] = (this.live[member] ?? 0) + 1;
    states[id] = state;
  }

  /** Drops every state of `member` (before a restore replaces them). */
  clearMember(member: number): void {
    const states = this.slots[member] as unknown[];
    for (let id = this.oldest; id !== NO_ID; ) {
      const next = this.newer[id] as number;
      if (states[id] !== undefined) {
        states[id] = undefined;
        if (this.slots.every((s) => s[id] === undefined)) this.forget(id);
      }
      id = next;
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
    while (this.oldest !== NO_ID && (this.times[this.oldest] as number) < cutoff) {
      this.drop(this.oldest, counts);
      evicted++;
    }
    this.report('ttl', counts);
    return evicted;
  }

  private evictOldest(): void {
    if (this.oldest === NO_ID) return;
    const counts = new Array<number>(this.live.length).fill(0);
    this.drop(this.oldest, counts);
    this.report('capacity', counts);
  }

  /** Lengthens every column to `capacity` (the index grew). */
  private grow(capacity: number): void {
    if (this.times.length < capacity) {
      const times = new Float64Array(capacity);
      times.set(this.times);
      this.times = times;
      this.older = int32Column(capacity, this.older);
      this.newer = int32Column(capacity, this.newer);
    }
    for (const states of this.slots) while (states.length < capacity) states.push(undefined);
  }

  /** Appends entry `id` at the newest end of the recency list. */
  private link(id: number): void {
    this.older[id] = this.newest;
    this.newer[id] = NO_ID;
    if (this.newest === NO_ID) this.oldest = id;
    else this.newer[this.newest] = id;
    this.newest = id;
  }

  private unlink(id: number): void {
    const older = this.older[id] as number;
    const newer = this.newer[id] as number;
    if (older === NO_ID) this.oldest = newer;
    else this.newer[older] = newer;
    if (newer === NO_ID) this.newest = older;
    else this.older[newer] = older;
    this.older[id] = NO_ID;
    this.newer[id] = NO_ID;
  }

  /** A new entry for the key with id `id` (which has none here), the newest; the oldest makes room past maxKeys. */
  private add(id: number, lastEventTime: number): void {
    if (this.count >= this.options.maxKeys) this.evictOldest();
    this.index.enter(id, this.lifetime);
    this.times[id] = lastEventTime;
    this.count++;
    this.link(id);
  }

  /** Takes an entry out of the store: its count, the recency list, then the index (which may free the id). */
  private forget(id: number): void {
    this.count--;
    this.unlink(id);
    this.index.leave(id, this.lifetime);
  }

  private drop(id: number, counts: number[]): void {
    const key = this.index.keyAt(id);
    for (let member = 0; member < this.slots.length; member++) {
      const states = this.slots[member] as unknown[];
      if (states[id] === undefined) continue;
      states[id] = undefined;
      counts[member] = (counts[member] ?? 0) + 1;
      this.live[member] = (this.live[member] ?? 1) - 1;
    }
    this.forget(id);
    this.index.keyChanged(key);
  }

  private report(reason: EvictionReason, counts: number[]): void {
    counts.forEach((n, member) => {
      if (n > 0) this.options.onEvict?.(member, reason, n);
    });
  }
}
