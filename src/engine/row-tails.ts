import type { StateWriter } from './state-writer';

/**
 * Reading and changing a row's head, integer cells and tails (row-table.ts:
 * the tails are blocks of the table's `t` and `u`), and building plain arrays
 * for a decoded state's tails. Shared by every detector that keeps its state
 * as rows.
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
 * `n[i]` and `s[i]` of plain arrays of numbers or strings (decoded records).
 * Two functions, never one generic at(): optimised code turns a double array
 * read at a site that has also seen generic arrays into a generic one, which
 * boxes every number read through it.
 */
export const numberAt = (n: readonly number[], i: number, fallback: number): number => n[i] ?? fallback;
export const stringAt = (s: readonly string[], i: number, fallback: string): string => s[i] ?? fallback;

/** The parts one after the other (a decoded state's segments, laid out as its tail). Twice, for the same reason. */
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

/** A row's tail of numbers, as a RowTable positioned on the row reads and changes it (row-table.ts). */
export interface NumberTail {
  readonly t: Float64Array;
  readonly ti: number;
  readonly nLength: number;
  spliceN(i: number, remove: number, insert: number): void;
}

/** A row's tail of strings, as NumberTail. */
export interface StringTail {
  readonly u: string[];
  readonly ui: number;
  readonly sLength: number;
  spliceS(i: number, remove: number, insert: number): void;
}

/** Both tails of a row. */
export type Tails = NumberTail & StringTail;

/*
 * Reading and changing a row's tails. An index past the tail's end reads as
 * `fallback`, as an array's missing element did, never as a neighbour's
 * element. Written out twice, for numbers and for strings: one kind of array
 * per site keeps V8's code for each specialised.
 */

/** Number `i` of the current row's tail. */
export const tailNumber = (st: NumberTail, i: number, fallback: number): number => (i >= 0 && i < st.nLength ? (st.t[st.ti + i] as number) : fallback);

/**
 * Overwrites number `i` of the current row's tail. Refused outside the tail: the cell there is another row's (an
 * array would have grown instead). Make room with spliceNumbers first.
 */
export function setTailNumber(st: NumberTail, i: number, value: number): void {
  if (!(i >= 0 && i < st.nLength)) throw new RangeError(`tail write at ${i} outside its ${st.nLength} numbers: splice room first`);
  st.t[st.ti + i] = value;
}

/** `count` numbers from `i` replaced by `values` (the tail's length changes by the difference). */
export function spliceNumbers(st: NumberTail, i: number, count: number, values: ArrayLike<number>): void {
  st.spliceN(i, count, values.length);
  const t = st.t;
  const at = st.ti + i;
  for (let j = 0; j < values.length; j++) t[at + j] = values[j] as number;
}

/** `value` inserted at `i` (spliceNumbers without the one-element array: a filling ring inserts on every event). */
export function insertTailNumber(st: NumberTail, i: number, value: number): void {
  st.spliceN(i, 0, 1);
  st.t[st.ti + i] = value;
}

/** The whole tail replaced by `values`. */
export function setTailNumbers(st: NumberTail, values: readonly number[]): void {
  spliceNumbers(st, 0, st.nLength, values);
}

/** A copy of the tail's numbers from `from` to `to` (as Array.slice, with both inside the tail at most). */
export function tailNumbers(st: NumberTail, from = 0, to = st.nLength): number[] {
  const end = Math.min(to, st.nLength);
  const out = new Array<number>(Math.max(0, end - from));
  const t = st.t;
  const at = st.ti + from;
  for (let i = 0; i < out.length; i++) out[i] = t[at + i] as number;
  return out;
}

/** What value(tailNumbers(st, from, to)) writes, without the copy. */
export function writeTailNumbers(out: StateWriter, st: NumberTail, from: number, to: number): void {
  const end = Math.min(to, st.nLength);
  const start = Math.min(from, end);
  out.array(end - start);
  for (let i = start; i < end; i++) out.number(st.t[st.ti + i] as number);
}

/** String `i` of the current row's tail. */
export const tailString = (st: StringTail, i: number, fallback: string): string => (i >= 0 && i < st.sLength ? (st.u[st.ui + i] as string) : fallback);

/** Overwrites string `i` of the current row's tail; refused outside it, as setTailNumber. */
export function setTailString(st: StringTail, i: number, value: string): void {
  if (!(i >= 0 && i < st.sLength)) throw new RangeError(`tail write at ${i} outside its ${st.sLength} strings: splice room first`);
  st.u[st.ui + i] = value;
}

/** spliceNumbers for the tail of strings. */
export function spliceStrings(st: StringTail, i: number, count: number, values: readonly string[]): void {
  st.spliceS(i, count, values.length);
  const u = st.u;
  const at = st.ui + i;
  for (let j = 0; j < values.length; j++) u[at + j] = values[j] as string;
}

/** insertTailNumber for the tail of strings. */
export function insertTailString(st: StringTail, i: number, value: string): void {
  st.spliceS(i, 0, 1);
  st.u[st.ui + i] = value;
}

/** setTailNumbers for the tail of strings. */
export function setTailStrings(st: StringTail, values: readonly string[]): void {
  spliceStrings(st, 0, st.sLength, values);
}

/** tailNumbers for the tail of strings. */
export function tailStrings(st: StringTail, from = 0, to = st.sLength): string[] {
  const end = Math.min(to, st.sLength);
  return st.u.slice(st.ui + from, st.ui + Math.max(from, end));
}

/** writeTailNumbers for the tail of strings. */
export function writeTailStrings(out: StateWriter, st: StringTail, from: number, to: number): void {
  const end = Math.min(to, st.sLength);
  const start = Math.min(from, end);
  out.array(end - start);
  for (let i = start; i < end; i++) out.string(st.u[st.ui + i] as string);
}

/**
 * Appends an event to a bounded evidence sample kept in a row's tails: its
 * ids in the strings from `idsAt`, their times in the numbers from `timesAt`,
 * `count` of each held, oldest first. Under `cap` both tails grow by one; at
 * `cap` the oldest is shifted out in place. Returns the new count, for the
 * caller's head.
 */
export function pushTimedSample(st: Tails, idsAt: number, timesAt: number, count: number, cap: number, eventId: string, eventTime: number): number {
  if (count < cap) {
    insertTailString(st, idsAt + count, eventId);
    insertTailNumber(st, timesAt + count, eventTime);
    return count + 1;
  }
  const u = st.u;
  const t = st.t;
  const ids = st.ui + idsAt;
  const times = st.ti + timesAt;
  u.copyWithin(ids, ids + 1, ids + count);
  t.copyWithin(times, times + 1, times + count);
  u[ids + count - 1] = eventId;
  t[times + count - 1] = eventTime;
  return count;
}

/** Ids of such a sample's events at or after `fromTime`, oldest first. */
export function timedSampleSince(st: Tails, idsAt: number, timesAt: number, count: number, fromTime: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) if (tailNumber(st, timesAt + i, Number.NEGATIVE_INFINITY) >= fromTime) out.push(tailString(st, idsAt + i, ''));
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
  for (let i = 0; i < count; i++) out.push(tailString(st, idsAt + i, ''), tailNumber(st, timesAt + i, 0));
  return out;
}

/** What value(timedSampleData(…)) writes, without the array. */
export function writeTimedSample(out: StateWriter, st: Tails, idsAt: number, timesAt: number, count: number): void {
  if (count === 0) return out.null();
  out.array(2 * count);
  for (let i = 0; i < count; i++) {
    out.value(tailString(st, idsAt + i, ''));
    out.value(tailNumber(st, timesAt + i, 0));
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
