/**
 * Per-key state shared by several detectors: one entry per key (usually
 * an account) holding a slot for each member detector, instead of one entry
 * per detector. The per-key overhead is then paid once, and an event that
 * ten detectors look at finds the entry once.
 *
 * A store is one state lifetime: detectors whose state lives equally long.
 * A pipeline's stores share one KeyIndex (key-index.ts), which gives each key
 * an id. A store gives each of its own keys a slot of its own (a local id,
 * dense over what the store holds: the one-hour store does not pay for the
 * device keys of the one-day store) and keeps its entries in columns by slot:
 * the last event time, the key's id, and one column of
 * states per member. An entry is then no object of its own: at a million
 * accounts that was four objects per key and store for the collector to mark,
 * and a cache miss for each on the way to a detector's state.
 *
 * A member may keep its states as rows of a RowTable (row-table.ts), when
 * its detector declares a RowLayout: its column is then an Int32Array of each
 * key's row number (4 bytes a slot, not a plain array's 8), and the store
 * hands out the table positioned on that row.
 *
 * Bounds as in every keyed map here: a hard cap on keys (least recently used
 * evicted past it) and a TTL in event time. Recency is a RecencyLog of the
 * slots (recency-log.ts): the order a doubly linked list relinked on every
 * touch would keep, by appending. (Keeping recency as a Map's insertion order,
 * by deleting and re-inserting the key on every touch, cost a third of
 * replay's CPU time on a large map: each re-insert leaves a tombstone, and the
 * table is rehashed every few hundred thousand touches.)
 */
import { lengthen, lengthenArray } from './columns';
import { KeyIndex, MAX_LIFETIMES, NO_ID } from './key-index';
import { RecencyLog } from './recency-log';
import { RowTable, type RowLayout } from './row-table';

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
  /** By member: the layout of its rows when it keeps its states in a RowTable; undefined for states of its own. */
  rows?: readonly (RowLayout | undefined)[];
}

const INITIAL_SLOTS = 1024;
/** A row member's cell for a key it holds no state for. */
const NO_ROW = -1;

export class SlottedState {
  private readonly index: KeyIndex;
  private readonly lifetime: number;
  /** Entries in this store. */
  private count = 0;
  private readonly live: number[];
  private ttlMs: number;
  /** By key id: the key's slot here, NO_ID if it has none. As long as the index's capacity. */
  private slotOf: Int32Array;
  /** By slot: the key id it holds. */
  private idAt: Int32Array;
  /** By slot: the key's last event time here. */
  private times: Float64Array;
  /** The slots holding entries, least recently touched first. */
  private readonly recency: RecencyLog;
  /**
   * By member, by slot: the member's state for the key, undefined if none. Plain arrays made at their full length
   * (V8 keeps them as fast holey arrays) and replaced by longer copies, so their size is what the slots need. Empty
   * for a member whose states are rows, and for an object member until it first holds a state: most keys of a store
   * hold nothing for the detectors that pass most events by (Detector.needsState), and a column of them would cost
   * 8 bytes a slot.
   */
  private readonly slots: unknown[][];
  /** By member: its RowTable when its states are rows, and by slot the key's row (NO_ROW if none). */
  private readonly tables: (RowTable | undefined)[];
  private readonly rowsBySlot: (Int32Array | undefined)[];
  /** Slots given back by dropped entries, handed out again first (their cells are warm); then slots from `used` on. */
  private readonly freeSlots: number[] = [];
  private used = 0;

  constructor(private readonly options: SlottedStateOptions) {
    if (!(options.maxKeys >= 1)) throw new RangeError('maxKeys must be at least 1');
    this.lifetime = options.lifetime ?? 0;
    if (!(this.lifetime >= 0 && this.lifetime < MAX_LIFETIMES)) throw new RangeError(`lifetime must be 0 to ${MAX_LIFETIMES - 1}`);
    this.ttlMs = options.ttlMs;
    this.index = options.index ?? new KeyIndex(false);
    this.live = new Array<number>(options.members).fill(0);
    this.slotOf = new Int32Array(this.index.capacity).fill(NO_ID);
    this.idAt = new Int32Array(INITIAL_SLOTS);
    this.times = new Float64Array(INITIAL_SLOTS);
    this.recency = new RecencyLog(INITIAL_SLOTS);
    this.tables = Array.from({ length: options.members }, (_, member) => {
      const layout = options.rows?.[member];
      return layout === undefined ? undefined : new RowTable(layout);
    });
    this.slots = this.tables.map(() => []);
    this.rowsBySlot = this.tables.map((table) => (table === undefined ? undefined : new Int32Array(INITIAL_SLOTS).fill(NO_ROW)));
    this.index.onGrow((capacity) => {
      this.slotOf = lengthen(this.slotOf, capacity, NO_ID, (n) => new Int32Array(n));
    });
  }

  /** Keys held, whatever their members. */
  get size(): number {
    return this.count;
  }

  /** Entries the columns have room for: grows by doubling as the store fills, never past what it held at once. */
  get slotCapacity(): number {
    return this.times.length;
  }

  /** Rows `member`'s table has room for (0 when its states are objects): sized by what it held at once, like slotCapacity. */
  rowCapacity(member: number): number {
    return this.tables[member]?.rowCapacity ?? 0;
  }

  /** Keys for which `member` holds state. */
  liveCount(member: number): number {
    return this.live[member] ?? 0;
  }

  setTtl(ttlMs: number): void {
    this.ttlMs = ttlMs;
  }

  /**
   * `member`'s state for `key`, created with `create` if absent (a fresh row for a member with rows); marks the key
   * used at `eventTime`. A row member's state is its table positioned on the key's row: use it before the next call.
   */
  touch(key: string, member: number, eventTime: number, create: () => unknown): unknown {
    const id = this.index.idFor(key);
    let slot = this.slotOf[id] as number;
    if (slot === NO_ID) {
      slot = this.add(id, eventTime);
    } else {
      this.recency.touch(slot);
      if (eventTime > (this.times[slot] as number)) this.times[slot] = eventTime;
    }
    this.index.touched(id);
    const table = this.tables[member];
    if (table !== undefined) {
      const rows = this.rowsBySlot[member] as Int32Array;
      let row = rows[slot] as number;
      if (row === NO_ROW) {
        row = rows[slot] = table.alloc();
        this.live[member] = (this.live[member] ?? 0) + 1;
      }
      return table.seek(row);
    }
    const states = this.slots[member] as unknown[];
    let state = states[slot];
    if (state === undefined) {
      state = create();
      this.statesOf(member)[slot] = state;
      this.live[member] = (this.live[member] ?? 0) + 1;
    }
    return state;
  }

  /** `member`'s state at `slot`, undefined if none: a row member's table positioned on the row. */
  private stateOf(member: number, slot: number): unknown {
    const table = this.tables[member];
    if (table === undefined) return this.slots[member]?.[slot];
    const row = this.rowsBySlot[member]?.[slot] ?? NO_ROW;
    return row === NO_ROW ? undefined : table.seek(row);
  }

  /** Whether `member` holds a state at `slot`. */
  private holds(member: number, slot: number): boolean {
    return this.tables[member] === undefined ? this.slots[member]?.[slot] !== undefined : (this.rowsBySlot[member]?.[slot] ?? NO_ROW) !== NO_ROW;
  }

  /** Drops `member`'s state at `slot` (its row goes back to the table); false when it held none. */
  private release(member: number, slot: number): boolean {
    const rows = this.rowsBySlot[member];
    if (rows !== undefined) {
      const row = rows[slot] ?? NO_ROW;
      if (row === NO_ROW) return false;
      this.tables[member]?.release(row);
      rows[slot] = NO_ROW;
      return true;
    }
    const states = this.slots[member] as unknown[];
    if (states[slot] === undefined) return false;
    states[slot] = undefined;
    return true;
  }

  /** The slot of `key`'s entry here, or NO_ID. */
  private slotOfKey(key: string): number {
    const id = this.index.find(key);
    return id === NO_ID ? NO_ID : (this.slotOf[id] as number);
  }

  peek(key: string, member: number): unknown {
    const slot = this.slotOfKey(key);
    return slot === NO_ID ? undefined : this.stateOf(member, slot);
  }

  /** `member`'s state for the key with id `id`, undefined if none (the key need not be here). */
  stateAt(member: number, id: number): unknown {
    const slot = this.slotOf[id] ?? NO_ID;
    return slot === NO_ID ? undefined : this.stateOf(member, slot);
  }

  /** The last event time of the key with id `id`, which has an entry here. */
  timeAt(id: number): number {
    return this.times[this.slotOf[id] as number] as number;
  }

  /** A state reached without touch() (a timer) was changed in place. */
  markChanged(key: string): void {
    const slot = this.slotOfKey(key);
    if (slot !== NO_ID) this.index.touched(this.idAt[slot] as number);
  }

  /** `member`'s keys, least recently used first, with their state and last event time (a row member's rows as copies: they may be kept). */
  *all(member: number): IterableIterator<{ key: string; state: unknown; lastEventTime: number }> {
    const table = this.tables[member];
    for (const slot of this.recency.slots()) {
      const cell = this.stateOf(member, slot);
      if (cell === undefined) continue;
      const state = table === undefined ? cell : (cell as RowTable).detach();
      yield { key: this.index.keyAt(this.idAt[slot] as number), state, lastEventTime: this.times[slot] as number };
    }
  }

  /** Puts `member`'s state for `key` back (restore from a snapshot). A row member copies the row out of `state` (a RowTable). */
  restore(key: string, member: number, state: unknown, lastEventTime: number): void {
    const table = this.tables[member];
    if (table !== undefined && !(state instanceof RowTable && state.layout.width === table.layout.width && state.layout.ints === table.layout.ints)) {
      throw new TypeError(`member ${member} keeps rows of ${table.layout.width} numbers: its codec must decode to a RowTable of that layout`);
    }
    const id = this.index.idFor(key);
    let slot = this.slotOf[id] as number;
    if (slot === NO_ID) {
      slot = this.add(id, lastEventTime);
    } else if (lastEventTime > (this.times[slot] as number)) {
      this.times[slot] = lastEventTime;
    }
    if (!this.holds(member, slot)) this.live[member] = (this.live[member] ?? 0) + 1;
    const rows = this.rowsBySlot[member];
    if (table === undefined || rows === undefined) this.statesOf(member)[slot] = state;
    else if (rows[slot] === NO_ROW) rows[slot] = table.adopt(state as RowTable);
    else table.copyInto(rows[slot] as number, state as RowTable);
  }

  /** Drops every state of `member` (before a restore replaces them). */
  clearMember(member: number): void {
    // Forgetting takes slots out of the order, which its iterator does not allow: the slots first.
    for (const slot of [...this.recency.slots()]) {
      if (this.release(member, slot) && this.live.every((_, m) => !this.holds(m, slot))) this.forget(slot);
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
    for (let slot = this.recency.oldest(); slot !== NO_ID && (this.times[slot] as number) < cutoff; slot = this.recency.oldest()) {
      this.drop(slot, counts);
      evicted++;
    }
    this.report('ttl', counts);
    return evicted;
  }

  private evictOldest(): void {
    const oldest = this.recency.oldest();
    if (oldest === NO_ID) return;
    const counts = new Array<number>(this.live.length).fill(0);
    this.drop(oldest, counts);
    this.report('capacity', counts);
  }

  /** A new entry for the key with id `id` (which has none here), the newest; the oldest makes room past maxKeys. */
  private add(id: number, lastEventTime: number): number {
    if (this.count >= this.options.maxKeys) this.evictOldest();
    const slot = this.freeSlots.pop() ?? this.used++;
    if (slot >= this.times.length) this.growSlots();
    this.slotOf[id] = slot;
    this.idAt[slot] = id;
    this.times[slot] = lastEventTime;
    this.index.enter(id, this.lifetime);
    this.count++;
    this.recency.touch(slot);
    return slot;
  }

  /** An object member's column of states, made at the slots' length the first time it is needed. */
  private statesOf(member: number): unknown[] {
    let states = this.slots[member] as unknown[];
    if (states.length === 0) {
      states = new Array<unknown>(this.times.length);
      this.slots[member] = states;
    }
    return states;
  }

  /** Doubles every column by slot. */
  private growSlots(): void {
    const length = this.times.length * 2;
    this.idAt = lengthen(this.idAt, length, NO_ID, (n) => new Int32Array(n));
    this.times = lengthen(this.times, length, 0, (n) => new Float64Array(n));
    this.recency.growSlots(length);
    for (let member = 0; member < this.slots.length; member++) {
      const rows = this.rowsBySlot[member];
      // An object member's column not made yet stays unmade (empty).
      if (rows === undefined) {
        const states = this.slots[member] as unknown[];
        if (states.length > 0) this.slots[member] = lengthenArray(states, length);
      }
      else this.rowsBySlot[member] = lengthen(rows, length, NO_ROW, (n) => new Int32Array(n));
    }
  }

  /** Takes an entry out of the store: its count, the recency list, its slot, then the index (which may free the id). */
  private forget(slot: number): void {
    const id = this.idAt[slot] as number;
    this.count--;
    this.recency.remove(slot);
    this.slotOf[id] = NO_ID;
    this.freeSlots.push(slot);
    this.index.leave(id, this.lifetime);
  }

  private drop(slot: number, counts: number[]): void {
    const key = this.index.keyAt(this.idAt[slot] as number);
    for (let member = 0; member < this.slots.length; member++) {
      if (!this.release(member, slot)) continue;
      counts[member] = (counts[member] ?? 0) + 1;
      this.live[member] = (this.live[member] ?? 1) - 1;
    }
    this.forget(slot);
    this.index.keyChanged(key);
  }

  private report(reason: EvictionReason, counts: number[]): void {
    counts.forEach((n, member) => {
      if (n > 0) this.options.onEvict?.(member, reason, n);
    });
  }
}
