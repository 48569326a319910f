import { RowTable, type RowLayout } from '../../engine/row-table';
import { headAt, intAt, setHead, setInt } from '../../engine/row-tails';
import type { RowCounter } from '../../engine/tumbling-counter';

/**
 * Per account: a row of its store's RowTable (engine/row-table.ts), not an
 * object. Every account that dials has one, and an account that made one
 * ordinary call used to hold five objects and a boxed number or two for it
 * (≈ 340 bytes); as a row it is three head numbers (the windows), fourteen
 * 32-bit cells (counts, flags, lengths) and one tail of four.
 *
 * The cells, `g[gi + i]`:
 */
/** Numbers in the recent-callees segment: 0 before the first call, then [last, lastTime, number, time, …]. */
export const RECENT = 0;

/**
 * A tumbling count with its evidence: its window start in the head
 * (-Infinity while the part has never been needed, which the record writes as
 * null), its count, fired flag and evidence count in cells. sequential_dialling's
 * walk has one count; each outcome sweep has two (ended calls, then matched
 * ones) and its distinct callees.
 */
export interface Part extends RowCounter {
  /** Head number of the part's window start. */
  readonly window: number;
  /** Cell of its count (the walk's sequential calls; a sweep's ended calls). */
  readonly count: number;
  /** Cell of a sweep's matched calls (-1 for the walk). */
  readonly matched: number;
  /** Cell of its fired flag (1 once the rule fired in the window). */
  readonly fired: number;
  /** Cell of its evidence count (entries: an id in `s`, its time in `n`). */
  readonly evidence: number;
  /** Cell of its distinct-callee count, for a sweep (-1 for the walk). */
  readonly callees: number;
}

/** sequential_dialling: window, sequential calls, fired, evidence. */
export const WALK: Part = Object.freeze({ window: 0, count: 1, matched: -1, fired: 2, evidence: 3, callees: -1 });
/** unanswered_sweep and short_call_sweep: window, ended, matched, fired, callees, evidence. */
export const UNANSWERED: Part = Object.freeze({ window: 1, count: 4, matched: 5, fired: 6, callees: 7, evidence: 8 });
export const SHORT: Part = Object.freeze({ window: 2, count: 9, matched: 10, fired: 11, callees: 12, evidence: 13 });
/** A part with callees: UNANSWERED or SHORT. */
export type Sweep = Part;

/**
 * The tails, one segment after another (lengths from the cells):
 * - `n`: recent callees (RECENT) | unanswered callees | short callees | the
 *   walk's, the unanswered sweep's and the short sweep's evidence times;
 * - `s`: the walk's, the unanswered sweep's and the short sweep's evidence ids.
 * Callee numbers are up to 15 digits: exact, and unboxed, in a double array.
 */
const NO_WINDOW = Number.NEGATIVE_INFINITY;
export const NUMBER_HARVESTING_ROWS: RowLayout = Object.freeze({
  width: 3,
  fresh: Object.freeze([NO_WINDOW, NO_WINDOW, NO_WINDOW]),
  ints: 14,
  freshInts: Object.freeze([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
});

export type NumberHarvestingState = RowTable;

export const createNumberHarvestingState = (): NumberHarvestingState => RowTable.single(NUMBER_HARVESTING_ROWS);

/** Head number `i` and integer cell `i` (the engine's, re-exported for this folder). */
export { headAt, intAt, setHead, setInt };

/** Whether a part has been needed yet (see Part). */
export const present = (st: NumberHarvestingState, part: Part): boolean => headAt(st, part.window) !== NO_WINDOW;

/** Where a sweep's callees start in `n`: after the recent callees, and the unanswered sweep's for the short one. */
export const calleesAt = (st: NumberHarvestingState, sweep: Sweep): number => intAt(st, RECENT) + (sweep === SHORT ? intAt(st, UNANSWERED.callees) : 0);

/** Where a part's evidence ids start in `s`: after the earlier parts' (walk, unanswered, short). */
export function evidenceIdsAt(st: NumberHarvestingState, part: Part): number {
  if (part === WALK) return 0;
  const walk = intAt(st, WALK.evidence);
  return part === UNANSWERED ? walk : walk + intAt(st, UNANSWERED.evidence);
}

/** Where its evidence times start in `n`: after the recent callees and both sweeps' callees, in the same order. */
export const evidenceTimesAt = (st: NumberHarvestingState, part: Part): number =>
  intAt(st, RECENT) + intAt(st, UNANSWERED.callees) + intAt(st, SHORT.callees) + evidenceIdsAt(st, part);
