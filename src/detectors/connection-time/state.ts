import { RowTable, type RowLayout } from '../../engine/row-table';
import { windowStart } from '../../engine/window';
import { headAt, setHead } from '../../engine/row-tails';

/**
 * Per account: a row of its store's RowTable (engine/row-table.ts), not an
 * object. Nearly every calling account has this state, and most make a few
 * calls a day and never come near a limit: as an object with its day total,
 * evidence log and lists it cost ≈ 380 bytes in eight objects; as a row it
 * is eleven numbers and two exact-size tails.
 *
 * The head, `h[at + i]`:
 */
/** Earliest timer the state has asked for and not seen fire; +Infinity when none. */
export const WAKE_AT = 0;
/** long_call's once-per-window guard: the window of its latest finding, and 1 once it fired there. */
export const LONG_WINDOW = 1;
/** concurrent_calls' guard, as long_call's. */
export const CONCURRENT_WINDOW = 3;
/** Connected time in the current day: its window, the ended calls' share, and 1 once the daily rule fired. */
export const DAY_WINDOW = 5;
export const DAY_CLOSED_MS = 6;
export const DAY_FIRED = 7;
/** How many recently ended call ids, `end` events kept as evidence, and open calls the tails hold. */
export const ENDED = 8;
export const EVIDENCE = 9;
export const OPEN = 10;

/**
 * The tails, one segment after another (lengths from the head):
 * - `s`: ended call ids (ENDED, newest last) | evidence event ids (EVIDENCE,
 *   oldest first) | open call ids (OPEN, in answer order) | their answer event ids (OPEN);
 * - `n`: evidence event times (EVIDENCE) | open calls' answer times (OPEN) |
 *   their long-checked flags, 1 once long_call has dealt with the call (OPEN).
 */
const NO_WINDOW = Number.NEGATIVE_INFINITY;
export const CONNECTION_TIME_ROWS: RowLayout = Object.freeze({
  width: 11,
  fresh: Object.freeze([Number.POSITIVE_INFINITY, NO_WINDOW, 0, NO_WINDOW, 0, NO_WINDOW, 0, 0, 0, 0, 0]),
});

export type ConnectionTimeState = RowTable;

export const createState = (): ConnectionTimeState => RowTable.single(CONNECTION_TIME_ROWS);

/** Head number `i` (the engine's, re-exported for this folder). */
export { headAt, setHead };

/** A call that was answered and has not ended yet, as read out of the row (made only where a caller needs one). */
export interface OpenCall {
  readonly answeredAt: number;
  readonly answerEventId: string;
  /** long_call has dealt with this call (flagged it, or its window had already fired): never again. */
  readonly longChecked: boolean;
}

/** A rule guarded once per window: the head number of its window (its fired flag follows). */
export type Guard = typeof LONG_WINDOW | typeof CONCURRENT_WINDOW;

export const guardWindow = (st: ConnectionTimeState, guard: Guard): number => headAt(st, guard);
export const guardFired = (st: ConnectionTimeState, guard: Guard): boolean => headAt(st, guard + 1) !== 0;

/**
 * Claims the one finding of a rule for the window of `time`. `late` when a
 * later window has already replaced it (what happened there is forgotten).
 */
export function claim(st: ConnectionTimeState, guard: Guard, time: number, windowMs: number): 'fire' | 'already' | 'late' {
  const start = windowStart(time, windowMs);
  const current = guardWindow(st, guard);
  if (start < current) return 'late';
  if (start === current && guardFired(st, guard)) return 'already';
  setHead(st, guard, start);
  setHead(st, guard + 1, 1);
  return 'fire';
}
