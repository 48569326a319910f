import { windowStart } from '../../engine/window';
import type { ConnectionTimeState, DailyTotal, OpenCall } from './state';

/**
 * Connected time of one account in the current tumbling window: the part of
 * each ended call that fell inside it, plus, when asked at a time `at`, the
 * part of each open call up to `at`. Open calls are counted from the window
 * start when they began before it, so a call across midnight counts in both
 * days, each its own share.
 */

/**
 * Moves to the window of `time`; `late` when that window was already
 * replaced. A new window is a new object: the first one replaces the shared
 * NO_DAY, so after a `current` the account's total is its own to change.
 */
export function rollDaily(state: ConnectionTimeState, time: number, windowMs: number): 'current' | 'late' {
  const start = windowStart(time, windowMs);
  if (start < state.daily.windowStart) return 'late';
  if (start > state.daily.windowStart) state.daily = { windowStart: start, closedMs: 0, fired: false };
  return 'current';
}

/** Adds the share of the connected span [from, to) that falls in the current window (`to` must not be after it). */
export function addClosed(daily: DailyTotal, from: number, to: number): void {
  daily.closedMs += Math.max(0, to - Math.max(from, daily.windowStart));
}

/** Connected time in the current window up to `at` (`at` inside the window). */
export function connectedMsAt(daily: DailyTotal, open: Iterable<OpenCall>, at: number): number {
  let total = daily.closedMs;
  for (const call of open) total += Math.max(0, at - Math.max(call.answeredAt, daily.windowStart));
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
export function nextDailyCrossing(daily: DailyTotal, answeredAt: readonly number[], count: number, windowMs: number, overMs: number): number | undefined {
  if (count === 0) return undefined;
  const current = daily.fired ? undefined : crossingIn(daily.windowStart, windowMs, daily.closedMs, answeredAt, overMs, count);
  return current ?? crossingIn(daily.windowStart + windowMs, windowMs, 0, answeredAt, overMs, count);
}
