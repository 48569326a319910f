import { windowStart } from '../../engine/window';
import type { DetectorContext } from '../types';
import { nextDailyCrossing } from './daily-total';
import { DAILY_RULE } from './daily-connected-time';
import { firstOverMs, minHeldMs } from './limits';
import { answerTimes, openCount } from './open-calls';
import { CONCURRENT_GUARD, guardFired, guardWindow, headAt, setHead, WAKE_AT, type ConnectionTimeState } from './state';

/**
 * One timer per account at a time, at the earliest moment a rule could fire
 * if the open calls stay up: a long call passing its limit, enough calls held
 * long enough, the day's total passing its limit. Each timer checks every
 * rule and plans the next, so a heavy caller's hundred short calls cost one
 * pending timer, not a hundred. Timers cannot be cancelled: one that finds
 * the calls ended simply finds nothing.
 *
 * Every call event asks this twice, and a robocaller holds up to
 * MAX_OPEN_CALLS calls: so no arrays per call (the answer times go to one
 * scratch buffer, reused as detectors run one at a time), and nothing at all
 * for an account with no call up, for which no rule can fire by waiting.
 */
const answered: number[] = [];

/** The earliest moment after `after` at which a rule could fire; undefined when none can. */
export function nextWakeUp(state: ConnectionTimeState, after: number, ctx: DetectorContext): number | undefined {
  if (openCount(state) === 0) return undefined;
  const long = ctx.rule('long_call');
  // Without the rule, no call's long-call moment is after `after`.
  const count = answerTimes(state, answered, long ? firstOverMs(long) : Number.NEGATIVE_INFINITY, after);
  let next = Number.isFinite(count.longCallAt) ? count.longCallAt : undefined;
  const concurrent = ctx.rule('concurrent_calls');
  const index = concurrent ? Math.floor(concurrent.threshold) : -1;
  if (concurrent && index >= 0 && index < count.open) {
    // The moment threshold + 1 calls will each have been held minHeldSeconds; after a finding, the next window.
    const at0 = (answered[index] as number) + minHeldMs(concurrent);
    const firedIn = guardWindow(state, CONCURRENT_GUARD);
    const fired = guardFired(state, CONCURRENT_GUARD) && windowStart(at0, concurrent.windowMs) <= firedIn;
    const at = fired ? firedIn + concurrent.windowMs : at0;
    if (at > after && (next === undefined || at < next)) next = at;
  }
  const daily = ctx.rule(DAILY_RULE);
  const crossing = daily ? nextDailyCrossing(state, answered, count.open, daily.windowMs, firstOverMs(daily)) : undefined;
  if (crossing !== undefined && crossing > after && (next === undefined || crossing < next)) next = crossing;
  return next;
}

/**
 * Asks for a timer at `at` unless an earlier one is pending. A pending time
 * the watermark has passed is either firing now or was dropped by the
 * engine's timer cap; asking again is harmless either way.
 */
export function requestWakeUp(state: ConnectionTimeState, at: number, ctx: DetectorContext): void {
  const pending = headAt(state, WAKE_AT);
  if (at < pending || pending <= ctx.watermark) {
    setHead(state, WAKE_AT, at);
    ctx.schedule(at);
  }
}

/**
 * After a restore: timers are not in the snapshot, so the wake-up the state
 * was waiting for is asked for again, at the same time (the rules of its tier
 * chose it; ctx.rule() here gives only the untiered ones). One the watermark
 * has passed was fired or dropped before the snapshot; as in the live state,
 * the account's next event asks again (requestWakeUp).
 */
export function restoreWakeUp(state: ConnectionTimeState, ctx: DetectorContext): void {
  const pending = headAt(state, WAKE_AT);
  if (Number.isFinite(pending) && pending > ctx.watermark) ctx.schedule(pending);
}
