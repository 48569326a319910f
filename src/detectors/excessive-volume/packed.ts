import type { EvidenceRingData } from '../../engine/evidence-ring';
import { countEvent, type CountOutcome, type TumblingCounter } from '../../engine/tumbling-counter';
import { fields, type StateWriter, writeSlice } from '../../engine/state-writer';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('windowStart', 'count', 'fired', 'capacity', 'ids', 'times', 'next');

/**
 * The per-key state of this folder's detectors, packed into two flat arrays.
 * There is one state per active account (or device),
 * so its fixed cost is what the heap pays millions of times over:
 *
 * - `n` holds numbers only, so V8 keeps it as unboxed doubles (8 bytes each).
 *   An object field holding a timestamp costs a pointer plus a 16-byte heap
 *   number, and every small object a header of 24 bytes or more.
 * - `s` holds strings only: evidence event ids, and whatever strings a
 *   detector must remember (account ids, destination numbers).
 *
 * Each detector lays its state out as a fixed head (per-rule counters, ring
 * positions) followed by variable-length segments, and documents the layout.
 * A state that never counted anything keeps both arrays empty: the head is
 * created on first use (KindsLayout.ensureHead), so a key whose events were
 * all ignored (answered or ended calls; for the flood detectors also
 * allow-listed destinations and rules turned off) costs only the wrapper.
 *
 * Arrays are always exactly as long as their content. They only grow while a
 * ring or a list fills up (bounded, see each layout), and then by a copy one
 * element longer: `push` would reserve 16 or more spare slots (128 bytes and
 * up) for a key that mostly never grows again.
 */
export interface Packed {
  n: number[];
  s: string[];
}

export const emptyPacked = (): Packed => ({ n: [], s: [] });

/** A head of `counters` fresh counters followed by `zeros` zeros (ring positions, lengths). */
export function freshHead(counters: number, zeros: number): number[] {
  const head = new Array<number>(2 * counters + zeros);
  for (let i = 0; i < counters; i++) {
    head[2 * i] = Number.NEGATIVE_INFINITY;
    head[2 * i + 1] = 0;
  }
  for (let i = 2 * counters; i < head.length; i++) head[i] = 0;
  return head;
}

/*
 * `n[i]` and `s[i]`, for indexes the layout guarantees. Two functions, never
 * one generic at(): a read that sees both kinds of array is as harmful as a
 * write (see below). Optimised code turns a double array read at a site that
 * has also seen generic arrays into a generic one, so one `at(st.n, …)` beside
 * `at(st.s, …)` left nearly every account's and device's counters boxed: a
 * heap number per timestamp, and a fresh one per counted event.
 */
export const numberAt = (n: readonly number[], i: number, fallback: number): number => n[i] ?? fallback;
export const stringAt = (s: readonly string[], i: number, fallback: string): string => s[i] ?? fallback;

/*
 * Copies that grow or shrink a state's arrays, exactly as long as their
 * content. Written out twice, for numbers and for strings, on purpose: V8
 * remembers at each array store what kinds of arrays it has seen, and a store
 * that has seen both turns every double array passing through it into a
 * generic one, in which each number is boxed (16 more bytes apiece). So no
 * code here writes into both kinds of array.
 */

/** A copy of `a` with `count` numbers from index `i` replaced by `values`. */
export function replaceNumbers(a: readonly number[], i: number, count: number, values: readonly number[]): number[] {
  const out = new Array<number>(a.length - count + values.length);
  for (let j = 0; j < i; j++) out[j] = a[j] ?? 0;
  for (let j = 0; j < values.length; j++) out[i + j] = values[j] ?? 0;
  for (let j = i + count; j < a.length; j++) out[j - count + values.length] = a[j] ?? 0;
  return out;
}

/** A copy of `a` with `count` strings from index `i` replaced by `values`. */
export function replaceStrings(a: readonly string[], i: number, count: number, values: readonly string[]): string[] {
  const out = new Array<string>(a.length - count + values.length);
  for (let j = 0; j < i; j++) out[j] = a[j] ?? '';
  for (let j = 0; j < values.length; j++) out[i + j] = values[j] ?? '';
  for (let j = i + count; j < a.length; j++) out[j - count + values.length] = a[j] ?? '';
  return out;
}

/** A copy of `a` with `v` inserted at `i` (replaceNumbers(a, i, 0, [v]) without the one-element array: a filling ring inserts on every event). */
export function insertNumber(a: readonly number[], i: number, v: number): number[] {
  const out = new Array<number>(a.length + 1);
  for (let j = 0; j < i; j++) out[j] = a[j] ?? 0;
  out[i] = v;
  for (let j = i; j < a.length; j++) out[j + 1] = a[j] ?? 0;
  return out;
}

/** insertNumber for strings. */
export function insertString(a: readonly string[], i: number, v: string): string[] {
  const out = new Array<string>(a.length + 1);
  for (let j = 0; j < i; j++) out[j] = a[j] ?? '';
  out[i] = v;
  for (let j = i; j < a.length; j++) out[j + 1] = a[j] ?? '';
  return out;
}

/** The parts one after the other. */
export function joinNumbers(parts: readonly (readonly number[])[]): number[] {
  const out = new Array<number>(parts.reduce((sum, p) => sum + p.length, 0));
  let i = 0;
  for (const p of parts) for (const v of p) out[i++] = v;
  return out;
}

export function joinStrings(parts: readonly (readonly string[])[]): string[] {
  const out = new Array<string>(parts.reduce((sum, p) => sum + p.length, 0));
  let i = 0;
  for (const p of parts) for (const v of p) out[i++] = v;
  return out;
}

// ---- tumbling counters: two numbers each ----

/**
 * A TumblingCounter at `n[i]`: `n[i]` is its window start and `n[i + 1]`
 * its count times two plus one when it has fired (exact for any count below
 * 2^51). A fresh counter is `[-Infinity, 0]`.
 */
export const counterWindowStart = (n: readonly number[], i: number): number => n[i] ?? Number.NEGATIVE_INFINITY;
export const counterCount = (n: readonly number[], i: number): number => Math.floor((n[i + 1] ?? 0) / 2);
export const counterFired = (n: readonly number[], i: number): boolean => (n[i + 1] ?? 0) % 2 === 1;

export function readCounter(n: readonly number[], i: number): TumblingCounter {
  return { windowStart: counterWindowStart(n, i), count: counterCount(n, i), fired: counterFired(n, i) };
}

/** What value(readCounter(n, i)) writes, without the object (StateWriter). */
export function writeCounterData(out: StateWriter, n: readonly number[], i: number): void {
  out.object(3);
  out.field(F.windowStart);
  out.number(counterWindowStart(n, i));
  out.field(F.count);
  out.number(counterCount(n, i));
  out.field(F.fired);
  out.boolean(counterFired(n, i));
}

export function writeCounter(n: number[], i: number, c: TumblingCounter): void {
  n[i] = c.windowStart;
  n[i + 1] = c.count * 2 + (c.fired ? 1 : 0);
}

export const isFreshCounter = (n: readonly number[], i: number): boolean => counterWindowStart(n, i) === Number.NEGATIVE_INFINITY && numberAt(n, i + 1, 0) === 0;

export function markFired(n: number[], i: number): void {
  if (!counterFired(n, i)) n[i + 1] = numberAt(n, i + 1, 0) + 1;
}

/**
 * One event into the counter at `n[i]`. Goes through the engine's countEvent
 * on one reused scratch counter, so the window arithmetic stays defined in
 * one place and nothing is allocated per event.
 */
const scratch: TumblingCounter = { windowStart: Number.NEGATIVE_INFINITY, count: 0, fired: false };

export function countAt(n: number[], i: number, eventTime: number, sizeMs: number): CountOutcome {
  scratch.windowStart = counterWindowStart(n, i);
  scratch.count = counterCount(n, i);
  scratch.fired = counterFired(n, i);
  const outcome = countEvent(scratch, eventTime, sizeMs);
  if (outcome === 'counted') writeCounter(n, i, scratch);
  return outcome;
}

// ---- evidence rings: event ids in `s`, their times in `n` ----

/**
 * Evidence rings inside a Packed state, with the behaviour of the engine's
 * EvidenceRing (the most recent `capacity` events, oldest overwritten first)
 * but none of its per-ring cost (an object and two arrays with spare slots).
 * Ring k's position is `n[posAt + k]`; its times sit in `n` from `timesAt`
 * and its ids in `s` from `idsAt`, each ring right after the one before, and
 * only as many as it holds.
 *
 * The position packs the ring's size and next slot in one number: below
 * `capacity` the ring is filling (size = position, the next event appends);
 * from `capacity` on it is full and overwrites slot `position - capacity`.
 */
export interface RingLayout {
  readonly capacity: number;
  readonly rings: number;
  readonly posAt: number;
  readonly timesAt: number;
  readonly idsAt: number;
}

export const ringSize = (r: RingLayout, pos: number): number => Math.min(pos, r.capacity);
const ringNext = (r: RingLayout, pos: number): number => (pos < r.capacity ? 0 : pos - r.capacity);
const ringPos = (st: Packed, r: RingLayout, k: number): number => st.n[r.posAt + k] ?? 0;

/** Where ring k's entries start, counted from `timesAt` in `n` and from `idsAt` in `s`. */
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
    st.n = insertNumber(st.n, r.timesAt + offset + pos, eventTime);
    st.s = insertString(st.s, r.idsAt + offset + pos, eventId);
    st.n[r.posAt + k] = pos + 1;
    return;
  }
  const next = pos - r.capacity;
  st.n[r.timesAt + offset + next] = eventTime;
  st.s[r.idsAt + offset + next] = eventId;
  st.n[r.posAt + k] = r.capacity + ((next + 1) % r.capacity);
}

/** Ids of ring k's events at or after `fromTime`, oldest first (EvidenceRing.since). */
/** Empties ring k (its entries leave both arrays); nothing to do when it is empty. */
export function ringClear(st: Packed, r: RingLayout, k: number): void {
  const pos = ringPos(st, r, k);
  if (pos === 0) return;
  const size = ringSize(r, pos);
  const offset = ringOffset(st, r, k);
  st.n = replaceNumbers(st.n, r.timesAt + offset, size, []);
  st.s = replaceStrings(st.s, r.idsAt + offset, size, []);
  st.n[r.posAt + k] = 0;
}

export function ringSince(st: Packed, r: RingLayout, k: number, fromTime: number): string[] {
  const pos = ringPos(st, r, k);
  const size = ringSize(r, pos);
  const next = ringNext(r, pos);
  const offset = ringOffset(st, r, k);
  const out: string[] = [];
  for (let i = 0; i < size; i++) {
    const slot = offset + ((next + i) % size);
    if (numberAt(st.n, r.timesAt + slot, Number.NEGATIVE_INFINITY) >= fromTime) out.push(stringAt(st.s, r.idsAt + slot, ''));
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
    ids: st.s.slice(r.idsAt + offset, r.idsAt + offset + size),
    times: st.n.slice(r.timesAt + offset, r.timesAt + offset + size),
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
  writeSlice(out, st.s, r.idsAt + offset, r.idsAt + offset + size);
  out.field(F.times);
  writeSlice(out, st.n, r.timesAt + offset, r.timesAt + offset + size);
  out.field(F.next);
  out.number(ringNext(r, pos));
}

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
  const ring: Packed = { n: [0], s: [] };
  const one: RingLayout = { capacity: r.capacity, rings: 1, posAt: 0, timesAt: 1, idsAt: 0 };
  for (let i = 0; i < ids.length; i++) {
    const slot = (next + i) % ids.length;
    ringPush(ring, one, 0, stringAt(ids, slot, ''), numberAt(times, slot, Number.NEGATIVE_INFINITY));
  }
  return { pos: numberAt(ring.n, 0, 0), ids: ring.s, times: ring.n.slice(1) };
}
