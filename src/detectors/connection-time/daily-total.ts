import { windowStart } from '../../engine/window';
import { answeredAt, openCount } from './open-calls';
import { DAY_CLOSED_MS, DAY_FIRED, DAY_WINDOW, headAt, intAt, setHead, setInt, type ConnectionTimeState } from './state';

/**
 * Connected time of one account in the current tumbling window (DAY_WINDOW
 * and the numbers after it in the row's head): the part of each ended call
 * that fell inside it, plus, when asked at a time `at`, the part of each open
 * call up to `at`. Open calls are counted from the window start when they
 * began before it, so a call across midnight counts in both days, each its
 * own share.
 */

/** Moves to the window of `time`; `late` when that window was already replaced. A new window starts at zero, not fired. */
export function rollDaily(st: ConnectionTimeState, time: number, windowMs: number): 'current' | 'late' {
  const start = windowStart(time, windowMs);
  const current = headAt(st, DAY_WINDOW);
  if (start < current) return 'late';
  if (start > current) {
    setHead(st, DAY_WINDOW, start);
    setHead(st, DAY_CLOSED_MS, 0);
    setInt(st, DAY_FIRED, 0);
  }
  return 'current';
}

/** Adds the share of the connected span [from, to) that falls in the current window (`to` must not be after it). */
export function addClosed(st: ConnectionTimeState, from: number, to: number): void {
  setHead(st, DAY_CLOSED_MS, headAt(st, DAY_CLOSED_MS) + Math.max(0, to - Math.max(from, headAt(st, DAY_WINDOW))));
}

/** Connected time in the current window up to `at` (`at` inside the window), the open calls included. */
export function connectedMsAt(st: ConnectionTimeState, at: number): number {
  const start = headAt(st, DAY_WINDOW);
  let total = headAt(st, DAY_CLOSED_MS);
  const count = openCount(st);
  for (let i = 0; i < count; i++) total += Math.max(0, at - Math.max(answeredAt(st, i), start));
  return total;
}

/**
 * The first time in [start, start + windowMs) at which `closedMs` plus the open
 * calls (answered at `answeredAt`, earliest first, still up) reach `overMs`;
 * undefined when they do not within the window. The total grows by one
 * millisecond per open call per millisecond, piecewise between answers. Only
 * the first `count` entries of `answeredAt` are read (a reused buffer).
 */
export function crossingIn(start: number, windowMs: number, closedMs: number, answeredAt: readonly number[], overMs: number, count = answeredAt.length): number | undefined {
  if (closedMs >= overMs) return start;
  const end = start + windowMs;
  // Calls count from the window start; sorted, so the first that begins at or after the end ends the walk.
  // Plain arithmetic, no helper closure: this runs on every call event of an account with calls up.
  let total = closedMs;
  let at = start;
  let begin = count > 0 ? Math.max(answeredAt[0] as number, start) : end;
  for (let i = 0; i < count; i++) {
    if (begin >= end) break;
    total += i * (begin - at);
    at = begin;
    const next = i + 1 < count ? Math.max(answeredAt[i + 1] as number, start) : end;
    const crossing = begin + Math.ceil((overMs - total) / (i + 1));
    if (crossing <= next && crossing < end) return crossing;
    begin = next;
  }
  return undefined;
}

/**
 * When the open calls, if they stay up, take the total over `overMs`: in the
 * current window unless it has already fired, else in the next one.
 */
export function nextDailyCrossing(st: ConnectionTimeState, answered: readonly number[], count: number, windowMs: number, overMs: number): number | undefined {
  if (count === 0) return undefined;
  const start = headAt(st, DAY_WINDOW);
  const current = intAt(st, DAY_FIRED) !== 0 ? undefined : crossingIn(start, windowMs, headAt(st, DAY_CLOSED_MS), answered, overMs, count);
  return current ?? crossingIn(start + windowMs, windowMs, 0, answered, overMs, count);
}
