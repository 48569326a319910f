import type { CallEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { Detector, DetectorContext, Finding } from '../types';
import { connectionTimeCodec } from './codec';
import { checkConcurrentCalls } from './concurrent-calls';
import { checkDailyConnectedTime, DAILY_RULE } from './daily-connected-time';
import { addClosed, rollDaily } from './daily-total';
import { checkEndedLongCall, checkOpenLongCalls } from './long-call';
import { closeStale, endCall, openCall } from './open-calls';
import { CONNECTION_TIME_RULES, MAX_CATCH_UP_CHECKS, OPEN_CALL_MAX_AGE_MS } from './rules';
import { pushEvidence } from './evidence-log';
import { CONNECTION_TIME_ROWS, createState, headAt, setHead, WAKE_AT, type ConnectionTimeState, type OpenCall } from './state';
import { nextWakeUp, requestWakeUp, restoreWakeUp } from './wake-up';
import { concatFindings, NO_FINDINGS } from '../finding';

/**
 * EXCESSIVE_CONNECTION_TIME: connection times that degrade the service.
 * - long_call: one call connected for hours beyond any conversation;
 * - concurrent_calls: more calls held up at once than one person takes part in;
 * - daily_connected_time: connected time per day, ended calls and open ones.
 * All three are caught while the calls are still up: `answer` opens a call,
 * event-time timers (one pending per account, see wake-up.ts) check the rules
 * at the moment one could pass its limit, and `end` closes the call, adding
 * its connected time and catching what no timer did.
 */
export type { ConnectionTimeState } from './state';

/** Moves the day's total to `now` and closes calls whose `end` was presumably lost, booking their time. */
function advance(state: ConnectionTimeState, now: number, ctx: DetectorContext): 'current' | 'late' | 'off' {
  const daily = ctx.rule(DAILY_RULE);
  const outcome = daily ? rollDaily(state, now, daily.windowMs) : 'off';
  const stale = closeStale(state, now);
  for (let i = 0; i < stale.length; i++) {
    const call = stale[i] as OpenCall;
    if (outcome === 'current') addClosed(state, call.answeredAt, call.answeredAt + OPEN_CALL_MAX_AGE_MS);
  }
  return outcome;
}

function onEnd(state: ConnectionTimeState, event: CallEvent, day: 'current' | 'late' | 'off', ctx: DetectorContext): readonly Finding[] {
  const ending = endCall(state, event.callId);
  if (ending.kind === 'repeat') return NO_FINDINGS;
  const now = event.eventTime;
  // durationMs is the platform's own connected time; without it, the time since the answer we saw.
  const connectedMs = Math.max(0, event.durationMs ?? (ending.call ? now - ending.call.answeredAt : 0));
  if (connectedMs === 0) return NO_FINDINGS;
  pushEvidence(state, event.eventId, now);
  const findings = checkEndedLongCall(state, { accountId: event.accountId, endedAt: now, endEventId: event.eventId, connectedMs, call: ending.call }, ctx);
  if (day === 'late') ctx.late(DAILY_RULE);
  if (day !== 'current') return findings;
  addClosed(state, now - connectedMs, now);
  return concatFindings(findings, checkDailyConnectedTime(state, event.accountId, now, ctx));
}

/** Every rule at event time `at`, as a timer sees it. */
function checkAt(state: ConnectionTimeState, key: string, at: number, ctx: DetectorContext): readonly Finding[] {
  const day = advance(state, at, ctx);
  return [
    ...checkOpenLongCalls(state, key, at, ctx),
    ...checkConcurrentCalls(state, key, at, ctx),
    ...(day === 'current' ? checkDailyConnectedTime(state, key, at, ctx) : []),
  ];
}

/**
 * Checks at `from`, then at each next moment a rule could fire up to `upTo`
 * (times the watermark has passed: a timer asked for now would wait for the
 * next event, and an `end` could get there first). Returns the findings and
 * the next moment after them.
 */
function runDue(state: ConnectionTimeState, key: string, from: number, upTo: number, ctx: DetectorContext): { findings: Finding[]; next: number | undefined } {
  const findings: Finding[] = [];
  let now = from;
  for (let i = 0; i < MAX_CATCH_UP_CHECKS; i++) {
    findings.push(...checkAt(state, key, now, ctx));
    const next = nextWakeUp(state, now, ctx);
    if (next === undefined || next > upTo || i === MAX_CATCH_UP_CHECKS - 1) return { findings, next };
    now = next;
  }
  return { findings, next: undefined };
}

export const connectionTime: Detector<ConnectionTimeState> = {
  name: 'connection_time',
  eventTypes: ['call'],
  defaults: CONNECTION_TIME_RULES,
  keyOf: (event) => event.accountId,
  // Open calls keep a key alive with no events for up to a day; the daily total for its window.
  stateTtlMs: (policy) => Math.max(longestWindowMs(policy, Object.keys(CONNECTION_TIME_RULES)), OPEN_CALL_MAX_AGE_MS),
  createState,
  rows: CONNECTION_TIME_ROWS,
  onEvent(state, event, ctx) {
    if (event.type !== 'call') return NO_FINDINGS;
    // Checks the watermark has passed before this event's time run first: the engine fires its timers only after this event.
    const due = nextWakeUp(state, Number.NEGATIVE_INFINITY, ctx);
    const upTo = Math.min(ctx.watermark, event.eventTime - 1);
    const findings = due !== undefined && due <= upTo ? runDue(state, event.accountId, due, upTo, ctx).findings : [];
    const day = advance(state, event.eventTime, ctx);
    if (event.phase === 'answer') openCall(state, event.callId, event.eventTime, event.eventId);
    else if (event.phase === 'end') findings.push(...onEnd(state, event, day, ctx));
    // Asked from an event, a time the watermark has passed still fires in this same step.
    const next = nextWakeUp(state, Number.NEGATIVE_INFINITY, ctx);
    if (next !== undefined) requestWakeUp(state, next, ctx);
    return findings;
  },
  onTimer(state, key, at, ctx) {
    if (at >= headAt(state, WAKE_AT)) setHead(state, WAKE_AT, Number.POSITIVE_INFINITY);
    const { findings, next } = runDue(state, key, at, ctx.watermark, ctx);
    if (next !== undefined) requestWakeUp(state, next, ctx);
    return findings;
  },
  codec: connectionTimeCodec,
  onRestore(state, _key, ctx) {
    restoreWakeUp(state, ctx);
  },
};
