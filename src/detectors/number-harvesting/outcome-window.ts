import { windowStart } from '../../engine/window';

/**
 * Ended calls of one account in the current tumbling window: how many ended,
 * how many ended the way a rule looks for (unanswered, or barely connected),
 * and the distinct callees of those, exact up to `cap` and saturating there.
 * A share needs both counts; the distinct callees keep one number dialled
 * over and over from looking like a sweep.
 */
export interface OutcomeWindow {
  windowStart: number;
  ended: number;
  matched: number;
  callees: number[];
  fired: boolean;
}

export function newOutcomeWindow(): OutcomeWindow {
  return { windowStart: Number.NEGATIVE_INFINITY, ended: 0, matched: 0, callees: [], fired: false };
}

/** Adds one ended call; `late` when its window was already replaced. */
export function addOutcome(w: OutcomeWindow, eventTime: number, sizeMs: number, matched: boolean, callee: number, cap: number): 'counted' | 'late' {
  const start = windowStart(eventTime, sizeMs);
  if (start > w.windowStart) {
    w.windowStart = start;
    w.ended = 0;
    w.matched = 0;
    w.callees = [];
    w.fired = false;
  } else if (start < w.windowStart) {
    return 'late';
  }
  w.ended += 1;
  if (matched) {
    w.matched += 1;
    if (w.callees.length < cap && !w.callees.includes(callee)) w.callees.push(callee);
  }
  return 'counted';
}

/** Share of ended calls that matched, 0 before any ended. */
export function matchedShare(w: OutcomeWindow): number {
  return w.ended === 0 ? 0 : w.matched / w.ended;
}
