import type { DetectorContext, Finding } from '../types';
import { connectedMsAt } from './daily-total';
import { finding } from './finding';
import { firstOverMs, wholeMinutes } from './limits';
import { evidenceSince } from './evidence-log';
import { answeredAt, answerEventId, openCount } from './open-calls';
import { DAY_FIRED, DAY_WINDOW, headAt, intAt, setInt, type ConnectionTimeState } from './state';
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
  if (!config || intAt(state, DAY_FIRED) !== 0) return NO_FINDINGS;
  const total = connectedMsAt(state, at);
  if (total < firstOverMs(config)) return NO_FINDINGS;
  setInt(state, DAY_FIRED, 1);
  const windowStart = headAt(state, DAY_WINDOW);
  // Ended calls first, then the ones still up; the newest EVIDENCE_SAMPLE are kept.
  const evidence = evidenceSince(state, windowStart);
  for (let i = 0; i < openCount(state); i++) if (answeredAt(state, i) <= at) evidence.push(answerEventId(state, i));
  return [
    finding({
      accountId,
      rule: DAILY_RULE,
      config,
      windowStart,
      detectedAt: at,
      metric: 'connectedMinutes',
      value: wholeMinutes(total),
      evidence,
    }),
  ];
}
