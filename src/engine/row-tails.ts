import type { StateWriter } from './state-writer';

/**
 * Reading a row's head, and reading and copying its tails (row-table.ts):
 * exact-size arrays of numbers or of strings, replaced by a longer or shorter
 * copy when an entry comes or goes. Shared by every detector that keeps its
 * state as rows.
 */

/** What a row's head is read through: a RowTable positioned on the row (its head starts at `at`). */
export interface Positioned {
  readonly h: Float64Array;
  readonly at: number;
}

/** What a row's integer cells are read through: the same, its cells starting at `gi`. */
export interface PositionedInts {
  readonly g: Int32Array;
  readonly gi: number;
}

/** Head number `i` of the current row. */
export const headAt = (st: Positioned, i: number): number => st.h[st.at + i] as number;

export function setHead(st: Positioned, i: number, value: number): void {
  st.h[st.at + i] = value;
}

/** Integer cell `i` of the current row (RowLayout.ints). */
export const intAt = (st: PositionedInts, i: number): number => st.g[st.gi + i] as number;

/** Sets integer cell `i`; `value` must be a 32-bit integer (an Int32Array store would wrap anything else). */
export function setInt(st: PositionedInts, i: number, value: number): void {
  st.g[st.gi + i] = value;
}

/*
 * `n[i]` and `s[i]` of the tails, for indexes the layout guarantees. Two
 * functions, never one generic at(): a read that sees both kinds of array is
 * as harmful as a write (see below). Optimised code turns a double array read
 * at a site that has also seen generic arrays into a generic one, which boxes
 * every number read through it.
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

/** A row's tails, as a RowTable positioned on the row reads and replaces them. */
interface Tails {
  n: number[];
  s: string[];
}

/**
 * Appends an event to a bounded evidence sample kept in a row's tails: its
 * ids in `s` from `idsAt`, their times in `n` from `timesAt`, `count` of each
 * held, oldest first. Under `cap` both tails grow by one (a copy); at `cap`
 * the oldest is shifted out in place (a full sample holds entries, so the
 * tails are the row's own arrays). Returns the new count, for the caller's head.
 */
export function pushTimedSample(st: Tails, idsAt: number, timesAt: number, count: number, cap: number, eventId: string, eventTime: number): number {
  if (count < cap) {
    st.s = insertString(st.s, idsAt + count, eventId);
    st.n = insertNumber(st.n, timesAt + count, eventTime);
    return count + 1;
  }
  const s = st.s;
  const n = st.n;
  for (let i = 1; i < count; i++) {
    s[idsAt + i - 1] = stringAt(s, idsAt + i, '');
    n[timesAt + i - 1] = numberAt(n, timesAt + i, 0);
  }
  s[idsAt + count - 1] = eventId;
  n[timesAt + count - 1] = eventTime;
  return count;
}

/** Ids of such a sample's events at or after `fromTime`, oldest first. */
export function timedSampleSince(st: Tails, idsAt: number, timesAt: number, count: number, fromTime: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) if (numberAt(st.n, timesAt + i, Number.NEGATIVE_INFINITY) >= fromTime) out.push(stringAt(st.s, idsAt + i, ''));
  return out;
}

/*
 * Such a sample's record, as detectors wrote it when it was an array of their
 * own (compact-evidence.ts, TimedEvidence): [id, time, id, time, …], oldest
 * first, or null while empty.
 */

/** The sample as its record (a copy), or null while it holds nothing. */
export function timedSampleData(st: Tails, idsAt: number, timesAt: number, count: number): (string | number)[] | null {
  if (count === 0) return null;
  const out: (string | number)[] = [];
  for (let i = 0; i < count; i++) out.push(stringAt(st.s, idsAt + i, ''), numberAt(st.n, timesAt + i, 0));
  return out;
}

/** What value(timedSampleData(…)) writes, without the array. */
export function writeTimedSample(out: StateWriter, st: Tails, idsAt: number, timesAt: number, count: number): void {
  if (count === 0) return out.null();
  out.array(2 * count);
  for (let i = 0; i < count; i++) {
    out.value(stringAt(st.s, idsAt + i, ''));
    out.value(numberAt(st.n, timesAt + i, 0));
  }
}

/** A sample's record as ids and times, for the tails; refused (naming `owner`) when it is not [id, time, …] of at most `cap` events. */
export function timedSampleFromData(data: readonly (string | number)[] | null, cap: number, owner: string): { ids: string[]; times: number[] } {
  const ids: string[] = [];
  const times: number[] = [];
  if (data === null) return { ids, times };
  if (data.length % 2 !== 0 || data.length > 2 * cap) throw new RangeError(`${owner}: evidence data out of range`);
  for (let i = 0; i < data.length; i += 2) {
    const id = data[i];
    const time = data[i + 1];
    if (typeof id !== 'string' || typeof time !== 'number') throw new RangeError(`${owner}: evidence data is not [id, time, …]`);
    ids.push(id);
    times.push(time);
  }
  return { ids, times };
}
