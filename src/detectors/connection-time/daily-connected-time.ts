import type { DetectorContext, Finding } from '../types';
import { connectedMsAt } from './daily-total';
import { finding } from './finding';
import { firstOverMs, wholeMinutes } from './limits';
import type { ConnectionTimeState } from './state';
import { NO_FINDINGS } from '../finding';

/**
 * daily_connected_time: total connected time in the day, ended calls and the
 * calls still up, checked at `at` (an `end`, or a timer set for the moment the
 * open calls would take the total over). The caller has rolled the total to
 * the window of `at`.
 */
export const DAILY_RULE = 'daily_connected_time';

export function checkDailyConnectedTime(state: ConnectionTimeState, accountId: string, at: number, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(DAILY_RULE);
  const daily = state.daily;
  if (!config || daily.fired) return NO_FINDINGS;
  const total = connectedMsAt(daily, state.open.values(), at);
  if (total < firstOverMs(config)) return NO_FINDINGS;
  daily.fired = true;
  const open = [...state.open.values()].filter((c) => c.answeredAt <= at).map((c) => c.answerEventId);
  return [
    finding({
      accountId,
      rule: DAILY_RULE,
      config,
      windowStart: daily.windowStart,
      detectedAt: at,
      metric: 'connectedMinutes',
      value: wholeMinutes(total),
      // Ended calls first, then the ones still up; the newest EVIDENCE_SAMPLE are kept.
      evidence: [...state.endedEvidence.since(daily.windowStart), ...open],
    }),
  ];
}
