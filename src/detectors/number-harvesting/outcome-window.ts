import { insertTailNumber, spliceNumbers, tailNumber, tailNumbers } from '../../engine/row-tails';
import { windowStart } from '../../engine/window';
import { calleesAt, headAt, intAt, setHead, setInt, type NumberHarvestingState, type Sweep } from './state';

/**
 * Ended calls of one account in a sweep's current tumbling window: how many
 * ended, how many ended the way its rule looks for (unanswered, or barely
 * connected), and the distinct callees of those, exact up to `cap` and
 * saturating there. A share needs both counts; the distinct callees keep one
 * number dialled over and over from looking like a sweep. The counts are in
 * the row's head, the callees a segment of its `n` (state.ts): most
 * accounts' calls connect and last, so the segment stays empty until a call
 * matches, then holds exactly the callees.
 */
export const endedCalls = (st: NumberHarvestingState, sweep: Sweep): number => intAt(st, sweep.count);
export const matchedCalls = (st: NumberHarvestingState, sweep: Sweep): number => intAt(st, sweep.matched);

/** Distinct callees of matching calls in the window. */
export const distinctCallees = (st: NumberHarvestingState, sweep: Sweep): number => intAt(st, sweep.callees);

/** The callees (a copy). */
export function calleeList(st: NumberHarvestingState, sweep: Sweep): number[] {
  const from = calleesAt(st, sweep);
  return tailNumbers(st, from, from + distinctCallees(st, sweep));
}

/** Adds one ended call; `late` when its window was already replaced. */
export function addOutcome(st: NumberHarvestingState, sweep: Sweep, eventTime: number, sizeMs: number, matched: boolean, callee: number, cap: number): 'counted' | 'late' {
  const start = windowStart(eventTime, sizeMs);
  const current = headAt(st, sweep.window);
  if (start > current) {
    setHead(st, sweep.window, start);
    setInt(st, sweep.count, 0);
    setInt(st, sweep.matched, 0);
    setInt(st, sweep.fired, 0);
    const from = calleesAt(st, sweep);
    spliceNumbers(st, from, distinctCallees(st, sweep), []);
    setInt(st, sweep.callees, 0);
  } else if (start < current) {
    return 'late';
  }
  setInt(st, sweep.count, endedCalls(st, sweep) + 1);
  if (matched) {
    setInt(st, sweep.matched, matchedCalls(st, sweep) + 1);
    const from = calleesAt(st, sweep);
    const count = distinctCallees(st, sweep);
    if (count < cap && !includes(st, from, count, callee)) {
      insertTailNumber(st, from + count, callee);
      setInt(st, sweep.callees, count + 1);
    }
  }
  return 'counted';
}

function includes(st: NumberHarvestingState, from: number, count: number, value: number): boolean {
  for (let i = from; i < from + count; i++) if (tailNumber(st, i, Number.NaN) === value) return true;
  return false;
}

/** Share of ended calls that matched, 0 before any ended. */
export function matchedShare(st: NumberHarvestingState, sweep: Sweep): number {
  const ended = endedCalls(st, sweep);
  return ended === 0 ? 0 : matchedCalls(st, sweep) / ended;
}
