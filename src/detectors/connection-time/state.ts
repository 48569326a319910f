import { RowTable, type RowLayout } from '../../engine/row-table';
import { windowStart } from '../../engine/window';
import { headAt, intAt, setHead, setInt } from '../../engine/row-tails';

/**
 * Per account: a row of its store's RowTable (engine/row-table.ts), not an
 * object. Nearly every calling account has this state, and most make a few
 * calls a day and never come near a limit: as an object with its day total,
 * evidence log and lists it cost ≈ 380 bytes in eight objects; as a row it
 * is five head numbers (times and windows), six 32-bit cells (flags and
 * lengths) and two exact-size tails.
 *
 * The head, `h[at + i]`, and the cells, `g[gi + i]`:
 */
/** Head: earliest timer the state has asked for and not seen fire; +Infinity when none. */
export const WAKE_AT = 0;

/** A rule guarded once per window: the head number of the window of its latest finding, and the cell of its fired flag (1 once it fired there). */
export interface Guard {
  readonly window: number;
  readonly fired: number;
}
/** long_call's once-per-window guard. */
export const LONG_CALL_GUARD: Guard = Object.freeze({ window: 1, fired: 0 });
/** concurrent_calls' guard, as long_call's. */
export const CONCURRENT_GUARD: Guard = Object.freeze({ window: 2, fired: 1 });
/** Connected time in the current day: its window and the ended calls' share (head), and 1 once the daily rule fired (cell). */
export const DAY_WINDOW = 3;
export const DAY_CLOSED_MS = 4;
export const DAY_FIRED = 2;
/** Cells: how many recently ended call ids, `end` events kept as evidence, and open calls the tails hold. */
export const ENDED = 3;
export const EVIDENCE = 4;
export const OPEN = 5;

/**
 * The tails, one segment after another (lengths from the cells):
 * - `s`: ended call ids (ENDED, newest last) | evidence event ids (EVIDENCE,
 *   oldest first) | open call ids (OPEN, in answer order) | their answer event ids (OPEN);
 * - `n`: evidence event times (EVIDENCE) | open calls' answer times (OPEN) |
 *   their long-checked flags, 1 once long_call has dealt with the call (OPEN).
 */
const NO_WINDOW = Number.NEGATIVE_INFINITY;
export const CONNECTION_TIME_ROWS: RowLayout = Object.freeze({
  width: 5,
  fresh: Object.freeze([Number.POSITIVE_INFINITY, NO_WINDOW, NO_WINDOW, NO_WINDOW, 0]),
  ints: 6,
  freshInts: Object.freeze([0, 0, 0, 0, 0, 0]),
});

export type ConnectionTimeState = RowTable;

export const createState = (): ConnectionTimeState => RowTable.single(CONNECTION_TIME_ROWS);

/** Head number `i` and integer cell `i` (the engine's, re-exported for this folder). */
export { headAt, intAt, setHead, setInt };

/** A call that was answered and has not ended yet, as read out of the row (made only where a caller needs one). */
export interface OpenCall {
  readonly answeredAt: number;
  readonly answerEventId: string;
  /** long_call has dealt with this call (flagged it, or its window had already fired): never again. */
  readonly longChecked: boolean;
}

export const guardWindow = (st: ConnectionTimeState, guard: Guard): number => headAt(st, guard.window);
export const guardFired = (st: ConnectionTimeState, guard: Guard): boolean => intAt(st, guard.fired) !== 0;

/**
 * Claims the one finding of a rule for the window of `time`. `late` when a
 * later window has already replaced it (what happened there is forgotten).
 */
export function claim(st: ConnectionTimeState, guard: Guard, time: number, windowMs: number): 'fire' | 'already' | 'late' {
  const start = windowStart(time, windowMs);
  const current = guardWindow(st, guard);
  if (start < current) return 'late';
  if (start === current && guardFired(st, guard)) return 'already';
  setHead(st, guard.window, start);
  setInt(st, guard.fired, 1);
  return 'fire';
}
