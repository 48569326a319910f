import { insertTailNumber, insertTailString, setTailNumber, spliceNumbers, spliceStrings, tailNumber, tailNumbers, tailString, tailStrings } from '../../engine/row-tails';
import { type Packed } from './packed';

/**
 * The most frequent values of one window in a fixed number of slots
 * (Misra–Gries). Exact while at most `slots` distinct values are seen; past
 * that, every count is an underestimate by at most total / (slots + 1), so a
 * rule built on it may miss a flood hidden in noise but never invents one.
 */
export interface HeavyHitters {
  values: string[];
  counts: number[];
}

export function newHeavyHitters(): HeavyHitters {
  return { values: [], counts: [] };
}

export function offer(h: HeavyHitters, value: string, slots: number): void {
  const at = h.values.indexOf(value);
  if (at >= 0) {
    h.counts[at] = (h.counts[at] ?? 0) + 1;
    return;
  }
  if (h.values.length < slots) {
    h.values.push(value);
    h.counts.push(1);
    return;
  }
  // No free slot: the new value and one occurrence of every tracked value cancel out.
  const values: string[] = [];
  const counts: number[] = [];
  h.values.forEach((v, i) => {
    const c = (h.counts[i] ?? 0) - 1;
    if (c > 0) {
      values.push(v);
      counts.push(c);
    }
  });
  h.values = values;
  h.counts = counts;
}

/** Sum of the `n` largest counts, and how many values it covers. */
export function topSum(h: HeavyHitters, n: number): { sum: number; values: number } {
  const top = [...h.counts].sort((a, b) => b - a).slice(0, Math.max(0, n));
  return { sum: top.reduce((a, b) => a + b, 0), values: top.length };
}

/** The counts topSumPacked sorts: reused, as it runs on every counted call. */
let scratch = new Float64Array(16);

/**
 * topSum(heavyHittersAt(st, …, countsAt), n).sum, from the counts in the state's tail of numbers (from `countsAt` to
 * its end) without copying them out: calls_to_few_numbers asks on every counted call, and the copy, the sort with a
 * comparator and the slice made about a tenth of everything the pipeline allocated per event.
 */
export function topSumPacked(st: Packed, countsAt: number, n: number): number {
  const length = Math.max(0, st.nLength - countsAt);
  const take = Math.min(Math.max(0, n), length);
  let sum = 0;
  if (take === length) {
    for (let i = 0; i < length; i++) sum += tailNumber(st, countsAt + i, 0);
    return sum;
  }
  if (scratch.length < length) scratch = new Float64Array(length * 2);
  for (let i = 0; i < length; i++) scratch[i] = tailNumber(st, countsAt + i, 0);
  // A typed array sorts by numeric value, ascending: the largest `take` are the last.
  const sorted = scratch.subarray(0, length).sort();
  for (let i = length - take; i < length; i++) sum += sorted[i] as number;
  return sum;
}

/**
 * offer() on heavy hitters kept as the tails of a Packed state (packed.ts):
 * values from `s[valuesAt]`, their counts from `n[countsAt]`, both to the end
 * of their arrays. Same algorithm, same slot order; only what grows or
 * shrinks is copied (exactly sized), the rest is updated in place.
 */
export function offerPacked(st: Packed, valuesAt: number, countsAt: number, value: string, slots: number): void {
  const length = st.sLength - valuesAt;
  for (let i = 0; i < length; i++) {
    if (tailString(st, valuesAt + i, '') === value) {
      setTailNumber(st, countsAt + i, tailNumber(st, countsAt + i, 0) + 1);
      return;
    }
  }
  if (length < slots) {
    insertTailString(st, valuesAt + length, value);
    insertTailNumber(st, countsAt + length, 1);
    return;
  }
  // No free slot: the new value and one occurrence of every tracked value cancel out.
  let emptied = 0;
  for (let i = 0; i < length; i++) {
    const c = tailNumber(st, countsAt + i, 0) - 1;
    setTailNumber(st, countsAt + i, c);
    if (c <= 0) emptied++;
  }
  if (emptied === 0) return;
  const values: string[] = [];
  const counts: number[] = [];
  for (let i = 0; i < length; i++) {
    const c = tailNumber(st, countsAt + i, 0);
    if (c > 0) {
      values.push(tailString(st, valuesAt + i, ''));
      counts.push(c);
    }
  }
  spliceStrings(st, valuesAt, length, values);
  spliceNumbers(st, countsAt, length, counts);
}

/** The heavy-hitter tails of a Packed state, as offerPacked keeps them. */
export function heavyHittersAt(st: Packed, valuesAt: number, countsAt: number): HeavyHitters {
  return { values: tailStrings(st, valuesAt), counts: tailNumbers(st, countsAt) };
}
