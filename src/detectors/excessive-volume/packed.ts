import type { EvidenceRingData } from '../../engine/evidence-ring';
import { RowTable } from '../../engine/row-table';
import { countEvent, type CountOutcome, type TumblingCounter } from '../../engine/tumbling-counter';
import { fields, type StateWriter, writeSlice } from '../../engine/state-writer';
import { headAt, insertNumber, insertString, numberAt, replaceNumbers, replaceStrings, setHead, stringAt } from '../../engine/row-tails';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('windowStart', 'count', 'fired', 'capacity', 'ids', 'times', 'next');

/**
 * The per-key state of this folder's detectors: a row of a RowTable
 * (engine/row-table.ts). There is one state per active account (or device),
 * so its fixed cost is what the heap pays millions of times over:
 *
 * - a fixed head of numbers (per-rule counters, ring positions, a detector's
 *   own numbers) in the table's Float64Array: `h[at + i]` is head number i;
 * - a variable tail `n` of numbers only, so V8 keeps it as unboxed doubles
 *   (8 bytes each; an object field holding a timestamp costs a pointer plus a
 *   16-byte heap number);
 * - a variable tail `s` of strings only: evidence event ids, and whatever
 *   strings a detector must remember (account ids, destination numbers).
 *
 * Each detector lays its state out as a head followed by variable-length
 * segments in the tails, and documents the layout. A fresh state has the
 * layout's fresh head and empty tails, which cost nothing (the table keeps
 * no array for an empty tail).
 *
 * Tails are always exactly as long as their content. They only grow while a
 * ring or a list fills up (bounded, see each layout), and then by a copy one
 * element longer: `push` would reserve 16 or more spare slots (128 bytes and
 * up) for a key that mostly never grows again. An empty tail reads as a shared
 * frozen array: write into a tail in place only where it holds entries.
 */
export interface Packed {
  /** Heads; this state's starts at `at`. */
  readonly h: Float64Array;
  readonly at: number;
  n: number[];
  s: string[];
}

/** A fresh head: `counters` fresh counters followed by `zeros` zeros (ring positions, lengths). */
export function freshHead(counters: number, zeros: number): number[] {
  const head = new Array<number>(2 * counters + zeros);
  for (let i = 0; i < counters; i++) {
    head[2 * i] = Number.NEGATIVE_INFINITY;
    head[2 * i + 1] = 0;
  }
  for (let i = 2 * counters; i < head.length; i++) head[i] = 0;
  return head;
}

/** Head number `i` of a state (the engine's, re-exported for this folder). */
export { headAt, setHead };

// ---- tumbling counters: two head numbers each ----

/**
 * A TumblingCounter at head number `i`: `i` is its window start and `i + 1`
 * its count times two plus one when it has fired (exact for any count below
 * 2^51). A fresh counter is `[-Infinity, 0]`.
 */
export const counterWindowStart = (st: Packed, i: number): number => headAt(st, i);
export const counterCount = (st: Packed, i: number): number => Math.floor(headAt(st, i + 1) / 2);
export const counterFired = (st: Packed, i: number): boolean => headAt(st, i + 1) % 2 === 1;

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
  setHead(st, i + 1, c.count * 2 + (c.fired ? 1 : 0));
}

export const isFreshCounter = (st: Packed, i: number): boolean => counterWindowStart(st, i) === Number.NEGATIVE_INFINITY && headAt(st, i + 1) === 0;

export function markFired(st: Packed, i: number): void {
  if (!counterFired(st, i)) setHead(st, i + 1, headAt(st, i + 1) + 1);
}

/**
 * One event into the counter at head number `i`. Goes through the engine's
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
 * Ring k's position is head number `posAt + k`; the rings start both tails,
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
const ringPos = (st: Packed, r: RingLayout, k: number): number => headAt(st, r.posAt + k);

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
    st.n = insertNumber(st.n, offset + pos, eventTime);
    st.s = insertString(st.s, offset + pos, eventId);
    setHead(st, r.posAt + k, pos + 1);
    return;
  }
  const next = pos - r.capacity;
  st.n[offset + next] = eventTime;
  st.s[offset + next] = eventId;
  setHead(st, r.posAt + k, r.capacity + ((next + 1) % r.capacity));
}

/** Empties ring k (its entries leave both arrays); nothing to do when it is empty. */
export function ringClear(st: Packed, r: RingLayout, k: number): void {
  const pos = ringPos(st, r, k);
  if (pos === 0) return;
  const size = ringSize(r, pos);
  const offset = ringOffset(st, r, k);
  st.n = replaceNumbers(st.n, offset, size, []);
  st.s = replaceStrings(st.s, offset, size, []);
  setHead(st, r.posAt + k, 0);
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
    if (numberAt(st.n, slot, Number.NEGATIVE_INFINITY) >= fromTime) out.push(stringAt(st.s, slot, ''));
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
    ids: st.s.slice(offset, offset + size),
    times: st.n.slice(offset, offset + size),
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
  writeSlice(out, st.s, offset, offset + size);
  out.field(F.times);
  writeSlice(out, st.n, offset, offset + size);
  out.field(F.next);
  out.number(ringNext(r, pos));
}

/** A state of one ring and nothing else, where ringFromData replays a ring of another shape. */
const ONE_RING = { width: 1, fresh: [0] };

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
  return { pos: headAt(ring, 0), ids: [...ring.s], times: [...ring.n] };
}
