import type { DetectorContext, Finding } from '../types';
import { finding } from './finding';
import { firstOverMs, wholeMinutes } from './limits';
import { answeredAt, answerEventId, longChecked, markLongChecked, openCount } from './open-calls';
import { claim, guardWindow, LONG_CALL_GUARD, type ConnectionTimeState, type OpenCall } from './state';
import { NO_FINDINGS } from '../finding';

/**
 * long_call: one call connected longer than any conversation. Caught by a
 * timer while the call is still up; an `end` whose durationMs is over the
 * limit catches what no timer did (its answer was never seen, or the end
 * arrived before the watermark reached the timer).
 */
const RULE = 'long_call';

/** At timer time `at`: open calls that have passed the limit and were not dealt with yet. */
export function checkOpenLongCalls(state: ConnectionTimeState, accountId: string, at: number, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return NO_FINDINGS;
  const overMs = firstOverMs(config);
  const evidence: string[] = [];
  let firstAnswered = Number.NaN;
  let longestMs = 0;
  for (let i = 0; i < openCount(state); i++) {
    const answered = answeredAt(state, i);
    if (longChecked(state, i) || at - answered < overMs) continue;
    markLongChecked(state, i);
    if (evidence.length === 0) firstAnswered = answered;
    longestMs = Math.max(longestMs, at - answered);
    evidence.push(answerEventId(state, i));
  }
  // The window is that of the moment the limit was passed, as on the `end` path, so both give one violation id.
  if (evidence.length === 0 || claim(state, LONG_CALL_GUARD, firstAnswered + overMs, config.windowMs) !== 'fire') return NO_FINDINGS;
  return [
    finding({
      accountId,
      rule: RULE,
      config,
      windowStart: guardWindow(state, LONG_CALL_GUARD),
      detectedAt: at,
      metric: 'connectedMinutes',
      value: wholeMinutes(longestMs),
      evidence,
    }),
  ];
}

export interface EndedCall {
  accountId: string;
  endedAt: number;
  endEventId: string;
  connectedMs: number;
  /** The open call it closed, when its `answer` was seen. */
  call: OpenCall | undefined;
}

/** On `end`: a call over the limit that no timer flagged. */
export function checkEndedLongCall(state: ConnectionTimeState, ended: EndedCall, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(RULE);
  if (!config || ended.call?.longChecked === true) return NO_FINDINGS;
  const overMs = firstOverMs(config);
  if (ended.connectedMs < overMs) return NO_FINDINGS;
  const outcome = claim(state, LONG_CALL_GUARD, ended.endedAt - ended.connectedMs + overMs, config.windowMs);
  if (outcome === 'late') ctx.late(RULE);
  if (outcome !== 'fire') return NO_FINDINGS;
  return [
    finding({
      accountId: ended.accountId,
      rule: RULE,
      config,
      windowStart: guardWindow(state, LONG_CALL_GUARD),
      detectedAt: ended.endedAt,
      metric: 'connectedMinutes',
      value: wholeMinutes(ended.connectedMs),
      evidence: ended.call ? [ended.call.answerEventId, ended.endEventId] : [ended.endEventId],
    }),
  ];
}
