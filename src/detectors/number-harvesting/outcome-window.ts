import { windowStart } from '../../engine/window';

/**
 * Ended calls of one account in the current tumbling window: how many ended,
 * how many ended the way a rule looks for (unanswered, or barely connected),
 * and the distinct callees of those, exact up to `cap` and saturating there.
 * A share needs both counts; the distinct callees keep one number dialled
 * over and over from looking like a sweep. Most accounts' calls connect and
 * last, so the callee list is absent until a call matches, then a plain
 * array of exactly the callees (grown by copying: Array.push would reserve
 * 17 slots).
 */
export interface OutcomeWindow {
  windowStart: number;
  ended: number;
  matched: number;
  callees: number[] | undefined;
  fired: boolean;
}

export function newOutcomeWindow(): OutcomeWindow {
  return { windowStart: Number.NEGATIVE_INFINITY, ended: 0, matched: 0, callees: undefined, fired: false };
}

/** Adds one ended call; `late` when its window was already replaced. */
export function addOutcome(w: OutcomeWindow, eventTime: number, sizeMs: number, matched: boolean, callee: number, cap: number): 'counted' | 'late' {
  const start = windowStart(eventTime, sizeMs);
  if (start > w.windowStart) {
    w.windowStart = start;
    w.ended = 0;
    w.matched = 0;
    w.callees = undefined;
    w.fired = false;
  } else if (start < w.windowStart) {
    return 'late';
  }
  w.ended += 1;
  if (matched) {
    w.matched += 1;
    const callees = w.callees ?? [];
    if (callees.length < cap && !callees.includes(callee)) w.callees = callees.concat(callee);
  }
  return 'counted';
}

/** Distinct callees of matching calls in the window. */
export function distinctCallees(w: OutcomeWindow): number {
  return w.callees?.length ?? 0;
}

/** Share of ended calls that matched, 0 before any ended. */
export function matchedShare(w: OutcomeWindow): number {
  return w.ended === 0 ? 0 : w.matched / w.ended;
}
