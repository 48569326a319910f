import { insertTailNumber, setTailNumber, tailNumber, tailNumbers } from '../../engine/row-tails';
import { fields, type StateWriter } from '../../engine/state-writer';
import { GAP_RING_CAPACITY } from './rules';
import { gapsAt, intAt, setInt, type AutomatedOriginationState, type CadenceHead } from './state';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('capacity', 'gaps', 'next');

/**
 * The most recent inter-arrival times of one kind of origination, in a ring
 * of GAP_RING_CAPACITY (oldest overwritten first), with the spread of the
 * newest n of them: a segment of the row's `n` (state.ts), its next position
 * and length in the cadence's head. Gaps are kept Float32-rounded: ms gaps up
 * to ~4.6 hours are exact and longer ones lose nothing a coefficient of
 * variation would notice (and the record has always kept them as Float32).
 * The ring fills one gap at a time: most accounts send a handful of
 * messages, and a full-size ring from the first gap on would cost every one
 * of them the whole ring.
 */
export interface GapStats {
  /** Gaps the statistics cover. */
  count: number;
  meanMs: number;
  /** Sum of the gaps: time from the first to the last event of the run. */
  spanMs: number;
  /** Sample standard deviation over mean; Infinity when the mean is 0 (no spacing to speak of). */
  cv: number;
}

/** A ring as plain data for the changelog. */
export interface GapRingData {
  capacity: number;
  /** The gaps held, in buffer order (the ring's oldest at `next` once full). */
  gaps: Float32Array;
  next: number;
}

const isIndex = (n: number, max: number): boolean => Number.isInteger(n) && n >= 0 && n <= max;

type Row = AutomatedOriginationState;

/** Gaps held. */
export const gapCount = (st: Row, c: CadenceHead): number => intAt(st, c.gaps);

export function pushGap(st: Row, c: CadenceHead, gapMs: number): void {
  const gap = Math.fround(gapMs);
  const held = gapCount(st, c);
  const next = intAt(st, c.next);
  if (held < GAP_RING_CAPACITY) {
    insertTailNumber(st, gapsAt(st, c) + held, gap);
    setInt(st, c.gaps, held + 1);
  } else {
    setTailNumber(st, gapsAt(st, c) + next, gap);
  }
  setInt(st, c.next, (next + 1) % GAP_RING_CAPACITY);
}

/** Statistics of the newest `n` gaps; undefined until that many are held (n is clamped to 2..capacity). */
export function gapStats(st: Row, c: CadenceHead, n: number): GapStats | undefined {
  const cap = GAP_RING_CAPACITY;
  const count = Math.min(Math.max(Math.floor(n), 2), cap);
  if (gapCount(st, c) < count) return undefined;
  const from = gapsAt(st, c);
  const next = intAt(st, c.next);
  // Until the ring is full, next is the number held, so (next - i + cap) % cap stays inside them.
  let sum = 0;
  for (let i = 1; i <= count; i++) sum += tailNumber(st, from + ((next - i + cap) % cap), 0);
  const mean = sum / count;
  // Two passes over at most a few dozen values: exact, and cheaper than keeping running sums per n.
  let squares = 0;
  for (let i = 1; i <= count; i++) {
    const d = tailNumber(st, from + ((next - i + cap) % cap), 0) - mean;
    squares += d * d;
  }
  const sd = Math.sqrt(squares / (count - 1));
  return { count, meanMs: mean, spanMs: sum, cv: mean > 0 ? sd / mean : Number.POSITIVE_INFINITY };
}

/** The ring's gaps, a copy. */
const gapList = (st: Row, c: CadenceHead): number[] => tailNumbers(st, gapsAt(st, c), gapsAt(st, c) + gapCount(st, c));

/** A copy: the live ring keeps changing after a snapshot is taken. */
export function gapsToData(st: Row, c: CadenceHead): GapRingData {
  return { capacity: GAP_RING_CAPACITY, gaps: Float32Array.from(gapList(st, c)), next: intAt(st, c.next) };
}

/** What value(gapsToData(st, c)) writes (StateWriter). */
export function writeGaps(out: StateWriter, st: Row, c: CadenceHead): void {
  out.object(3);
  out.field(F.capacity);
  out.number(GAP_RING_CAPACITY);
  out.field(F.gaps);
  out.float32s(gapList(st, c));
  out.field(F.next);
  out.number(intAt(st, c.next));
}

/** A record's ring, checked: its gaps and next position. */
export function gapsFromData(data: GapRingData): { gaps: number[]; next: number } {
  const filled = data.gaps.length;
  // A damaged record is refused: a position outside the gaps held would read and write past them. The live ring's
  // capacity has always been GAP_RING_CAPACITY, and the row keeps no other.
  const nextOk = filled < GAP_RING_CAPACITY ? data.next === filled : isIndex(data.next, GAP_RING_CAPACITY - 1);
  if (data.capacity !== GAP_RING_CAPACITY || filled > GAP_RING_CAPACITY || !nextOk) throw new RangeError('gap ring data out of range');
  return { gaps: Array.from(data.gaps), next: data.next };
}
