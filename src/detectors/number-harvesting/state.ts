import { RowTable, type RowLayout } from '../../engine/row-table';
import { headAt, setHead } from '../../engine/row-tails';

/**
 * Per account: a row of its store's RowTable (engine/row-table.ts), not an
 * object. Every account that dials has one, and an account that made one
 * ordinary call used to hold five objects and a boxed number or two for it
 * (≈ 340 bytes); as a row it is the head's numbers and one tail of four.
 *
 * The head, `h[at + i]`:
 */
/** Numbers in the recent-callees segment: 0 before the first call, then [last, lastTime, number, time, …]. */
export const RECENT = 0;

/**
 * A tumbling count with its evidence: its window start (-Infinity while the
 * part has never been needed, which the record writes as null), then `count`
 * more numbers from COUNT on. sequential_dialling's walk has one count; each
 * outcome sweep has two (ended calls, then matched ones) and its distinct
 * callees.
 */
export const WINDOW = 0;
export const COUNT = 1;
export interface Part {
  /** Head number of the part's window start. */
  readonly at: number;
  /** Head number of its fired flag (1 once the rule fired in the window). */
  readonly fired: number;
  /** Head number of its evidence count (entries: an id in `s`, its time in `n`). */
  readonly evidence: number;
  /** Head number of its distinct-callee count, for a sweep. */
  readonly callees: number;
}

/** sequential_dialling: window, sequential calls, fired, evidence. */
export const WALK: Part = Object.freeze({ at: 1, fired: 3, evidence: 4, callees: -1 });
/** unanswered_sweep and short_call_sweep: window, ended, matched, fired, callees, evidence. */
export const UNANSWERED: Part = Object.freeze({ at: 5, fired: 8, evidence: 10, callees: 9 });
export const SHORT: Part = Object.freeze({ at: 11, fired: 14, evidence: 16, callees: 15 });
/** A part with callees: UNANSWERED or SHORT. */
export type Sweep = Part;

/**
 * The tails, one segment after another (lengths from the head):
 * - `n`: recent callees (RECENT) | unanswered callees | short callees | the
 *   walk's, the unanswered sweep's and the short sweep's evidence times;
 * - `s`: the walk's, the unanswered sweep's and the short sweep's evidence ids.
 * Callee numbers are up to 15 digits: exact, and unboxed, in a double array.
 */
const NO_WINDOW = Number.NEGATIVE_INFINITY;
export const NUMBER_HARVESTING_ROWS: RowLayout = Object.freeze({
  width: 17,
  fresh: Object.freeze([0, NO_WINDOW, 0, 0, 0, NO_WINDOW, 0, 0, 0, 0, 0, NO_WINDOW, 0, 0, 0, 0, 0]),
});

export type NumberHarvestingState = RowTable;

export const createNumberHarvestingState = (): NumberHarvestingState => RowTable.single(NUMBER_HARVESTING_ROWS);

/** Head number `i` (the engine's, re-exported for this folder). */
export { headAt, setHead };

/** Whether a part has been needed yet (see WINDOW). */
export const present = (st: NumberHarvestingState, part: Part): boolean => headAt(st, part.at + WINDOW) !== NO_WINDOW;

/** Where a sweep's callees start in `n`: after the recent callees, and the unanswered sweep's for the short one. */
export const calleesAt = (st: NumberHarvestingState, sweep: Sweep): number => headAt(st, RECENT) + (sweep === SHORT ? headAt(st, UNANSWERED.callees) : 0);

/** Where a part's evidence ids start in `s`: after the earlier parts' (walk, unanswered, short). */
export function evidenceIdsAt(st: NumberHarvestingState, part: Part): number {
  if (part === WALK) return 0;
  const walk = headAt(st, WALK.evidence);
  return part === UNANSWERED ? walk : walk + headAt(st, UNANSWERED.evidence);
}

/** Where its evidence times start in `n`: after the recent callees and both sweeps' callees, in the same order. */
export const evidenceTimesAt = (st: NumberHarvestingState, part: Part): number =>
  headAt(st, RECENT) + headAt(st, UNANSWERED.callees) + headAt(st, SHORT.callees) + evidenceIdsAt(st, part);
