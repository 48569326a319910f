import type { EvidenceRingData } from '../../engine/evidence-ring';
import { RowTable } from '../../engine/row-table';
import { countEvent, type CountOutcome, type TumblingCounter } from '../../engine/tumbling-counter';
import { fields, type StateWriter } from '../../engine/state-writer';
import { headAt, insertTailNumber, insertTailString, intAt, numberAt, setHead, setInt, setTailNumber, setTailString, spliceNumbers, spliceStrings, stringAt, tailNumber, tailNumbers, type Tails, tailString, tailStrings, writeTailNumbers, writeTailStrings } from '../../engine/row-tails';
import type { RowLayout } from '../../engine/row-table';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('windowStart', 'count', 'fired', 'capacity', 'ids', 'times', 'next');

/**
 * The per-key state of this folder's detectors: a row of a RowTable
 * (engine/row-table.ts). There is one state per active account (or device),
 * so its fixed cost is what the heap pays millions of times over:
 *
 * - a fixed head of numbers (per-rule counters' window starts, a detector's
 *   own numbers) in the table's Float64Array: `h[at + i]` is head number i;
 * - fixed 32-bit cells (per-rule counts and fired flags, ring positions) in
 *   its Int32Array: `g[gi + i]` is cell i;
 * - a variable tail of numbers (the table's `t` from `ti`: unboxed doubles,
 *   8 bytes each, where an object field holding a timestamp costs a pointer
 *   plus a 16-byte heap number);
 * - a variable tail of strings (`u` from `ui`): evidence event ids, and
 *   whatever strings a detector must remember (account ids, destination
 *   numbers).
 *
 * Each detector lays its state out as a head followed by variable-length
 * segments in the tails, and documents the layout. A fresh state has the
 * layout's fresh head and empty tails, which cost nothing (the table keeps
 * no block for an empty tail).
 *
 * Tails are always exactly as long as their content (their blocks round up
 * a little: engine/tail-blocks.ts). They only grow while a ring or a list
 * fills up (bounded, see each layout). Write into a tail in place only where
 * it holds entries.
 */
export interface Packed extends Tails {
  /** Heads; this state's starts at `at`. */
  readonly h: Float64Array;
  readonly at: number;
  /** Integer cells; this state's start at `gi`. */
  readonly g: Int32Array;
  readonly gi: number;
}

/**
 * The rows of `counters` fresh counters (their window starts first in the
 * head, then `extras` zeros; their counts first in the cells, then `cells`
 * zeros: ring positions).
 */
export function freshRows(counters: number, cells: number, extras: number): RowLayout {
  const fresh = [...new Array<number>(counters).fill(Number.NEGATIVE_INFINITY), ...new Array<number>(extras).fill(0)];
  return { width: fresh.length, fresh, ints: counters + cells, freshInts: new Array<number>(counters + cells).fill(0) };
}

/** Head number `i` and cell `i` of a state (the engine's, re-exported for this folder). */
export { headAt, intAt, setHead, setInt };

// ---- tumbling counters: a head number and a cell each ----

/**
 * TumblingCounter `i`: head number `i` is its window start and cell `i` its
 * count times two plus one when it has fired (a count below 2^30). A fresh
 * counter is -Infinity and 0.
 */
export const counterWindowStart = (st: Packed, i: number): number => headAt(st, i);
export const counterCount = (st: Packed, i: number): number => intAt(st, i) >>> 1;
export const counterFired = (st: Packed, i: number): boolean => (intAt(st, i) & 1) === 1;

export function readCounter(st: Packed, i: number): TumblingCounter {
  return { windowStart: counterWindowStart(st, i), count: counterCount(st, i), fired: counterFired(st, i) };
}

/** What value(readCounter(st, i)) writes, without the object (StateWriter). */
export function writeCounterData(out: StateWriter, st: Packed, i: number): void {
  out.object(3);
  out.field(F.windowStart);
  out.number(counterWindowStart(st, i));
  out.field(F.count);
  out.number(counterCount(st, i));
  out.field(F.fired);
  out.boolean(counterFired(st, i));
}

export function writeCounter(st: Packed, i: number, c: TumblingCounter): void {
  setHead(st, i, c.windowStart);
  setInt(st, i, c.count * 2 + (c.fired ? 1 : 0));
}

export const isFreshCounter = (st: Packed, i: number): boolean => counterWindowStart(st, i) === Number.NEGATIVE_INFINITY && intAt(st, i) === 0;

export function markFired(st: Packed, i: number): void {
  if (!counterFired(st, i)) setInt(st, i, intAt(st, i) + 1);
}

/**
 * One event into counter `i`. Goes through the engine's
 * countEvent on one reused scratch counter, so the window arithmetic stays
 * defined in one place and nothing is allocated per event.
 */
const scratch: TumblingCounter = { windowStart: Number.NEGATIVE_INFINITY, count: 0, fired: false };

export function countAt(st: Packed, i: number, eventTime: number, sizeMs: number): CountOutcome {
  scratch.windowStart = counterWindowStart(st, i);
  scratch.count = counterCount(st, i);
  scratch.fired = counterFired(st, i);
  const outcome = countEvent(scratch, eventTime, sizeMs);
  if (outcome === 'counted') writeCounter(st, i, scratch);
  return outcome;
}

// ---- evidence rings: positions in the head, event ids in `s`, their times in `n` ----

/**
 * Evidence rings inside a Packed state, with the behaviour of the engine's
 * EvidenceRing (the most recent `capacity` events, oldest overwritten first)
 * but none of its per-ring cost (an object and two arrays with spare slots).
 * Ring k's position is cell `posAt + k`; the rings start both tails,
 * times in `n` and ids in `s`, each ring right after the one before, and only
 * as many as it holds (a layout's own tails follow them).
 *
 * The position packs the ring's size and next slot in one number: below
 * `capacity` the ring is filling (size = position, the next event appends);
 * from `capacity` on it is full and overwrites slot `position - capacity`.
 */
export interface RingLayout {
  readonly capacity: number;
  readonly rings: number;
  readonly posAt: number;
}

export const ringSize = (r: RingLayout, pos: number): number => Math.min(pos, r.capacity);
const ringNext = (r: RingLayout, pos: number): number => (pos < r.capacity ? 0 : pos - r.capacity);
const ringPos = (st: Packed, r: RingLayout, k: number): number => intAt(st, r.posAt + k);
/** Whether ring k holds nothing (its position is 0 until the first push and after a clear). */
export const ringEmpty = (st: Packed, r: RingLayout, k: number): boolean => ringPos(st, r, k) === 0;

/** Where ring k's entries start, in `n` and in `s`. */
function ringOffset(st: Packed, r: RingLayout, k: number): number {
  let offset = 0;
  for (let j = 0; j < k; j++) offset += ringSize(r, ringPos(st, r, j));
  return offset;
}

/** How many entries all the rings hold together: the segments after them start there. */
export const ringsLength = (st: Packed, r: RingLayout): number => ringOffset(st, r, r.rings);

export function ringPush(st: Packed, r: RingLayout, k: number, eventId: string, eventTime: number): void {
  const pos = ringPos(st, r, k);
  const offset = ringOffset(st, r, k);
  if (pos < r.capacity) {
    insertTailNumber(st, offset + pos, eventTime);
    insertTailString(st, offset + pos, eventId);
    setInt(st, r.posAt + k, pos + 1);
    return;
  }
  const next = pos - r.capacity;
  setTailNumber(st, offset + next, eventTime);
  setTailString(st, offset + next, eventId);
  setInt(st, r.posAt + k, r.capacity + ((next + 1) % r.capacity));
}

/** Empties ring k (its entries leave both arrays); nothing to do when it is empty. */
export function ringClear(st: Packed, r: RingLayout, k: number): void {
  const pos = ringPos(st, r, k);
  if (pos === 0) return;
  const size = ringSize(r, pos);
  const offset = ringOffset(st, r, k);
  spliceNumbers(st, offset, size, []);
  spliceStrings(st, offset, size, []);
  setInt(st, r.posAt + k, 0);
}

/** Ids of ring k's events at or after `fromTime`, oldest first (EvidenceRing.since). */
export function ringSince(st: Packed, r: RingLayout, k: number, fromTime: number): string[] {
  const pos = ringPos(st, r, k);
  const size = ringSize(r, pos);
  const next = ringNext(r, pos);
  const offset = ringOffset(st, r, k);
  const out: string[] = [];
  for (let i = 0; i < size; i++) {
    const slot = offset + ((next + i) % size);
    if (tailNumber(st, slot, Number.NEGATIVE_INFINITY) >= fromTime) out.push(tailString(st, slot, ''));
  }
  return out;
}

/** Ring k in the changelog form of EvidenceRing.toData. */
export function ringToData(st: Packed, r: RingLayout, k: number): EvidenceRingData {
  const pos = ringPos(st, r, k);
  const size = ringSize(r, pos);
  const offset = ringOffset(st, r, k);
  return {
    capacity: r.capacity,
    ids: tailStrings(st, offset, offset + size),
    times: tailNumbers(st, offset, offset + size),
    next: ringNext(r, pos),
  };
}

/** What value(ringToData(st, r, k)) writes, without the copies (StateWriter). */
export function writeRingData(out: StateWriter, st: Packed, r: RingLayout, k: number): void {
  const pos = ringPos(st, r, k);
  const size = ringSize(r, pos);
  const offset = ringOffset(st, r, k);
  out.object(4);
  out.field(F.capacity);
  out.number(r.capacity);
  out.field(F.ids);
  writeTailStrings(out, st, offset, offset + size);
  out.field(F.times);
  writeTailNumbers(out, st, offset, offset + size);
  out.field(F.next);
  out.number(ringNext(r, pos));
}

/** A state of one ring and nothing else, where ringFromData replays a ring of another shape. */
const ONE_RING: RowLayout = { width: 0, fresh: [], ints: 1, freshInts: [0] };

/** A decoded ring: its position, and its ids and times in slot order, ready to be laid out. */
export interface RingParts {
  pos: number;
  ids: string[];
  times: number[];
}

/**
 * EvidenceRingData back to ring parts, keeping what EvidenceRing.fromData
 * keeps. What encode wrote (this capacity; a ring still filling starts at
 * slot 0) keeps its slots as they were, so the decoded state equals the
 * encoded one; anything else is replayed oldest first into a ring of this
 * capacity, which keeps its most recent events.
 */
export function ringFromData(r: RingLayout, d: EvidenceRingData): RingParts {
  const ids = d.ids.slice(0, Math.max(0, d.capacity));
  const times = d.times.slice(0, ids.length);
  const next = d.next % Math.max(1, d.capacity);
  if (d.capacity === r.capacity && times.length === ids.length && (ids.length === r.capacity || next === 0)) {
    return { pos: ids.length < r.capacity ? ids.length : r.capacity + next, ids, times };
  }
  const ring = RowTable.single(ONE_RING);
  const one: RingLayout = { capacity: r.capacity, rings: 1, posAt: 0 };
  for (let i = 0; i < ids.length; i++) {
    const slot = (next + i) % ids.length;
    ringPush(ring, one, 0, stringAt(ids, slot, ''), numberAt(times, slot, Number.NEGATIVE_INFINITY));
  }
  return { pos: intAt(ring, 0), ids: tailStrings(ring), times: tailNumbers(ring) };
}
