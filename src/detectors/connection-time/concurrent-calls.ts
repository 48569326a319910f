import type { DetectorContext, Finding } from '../types';
import { finding } from './finding';
import { minHeldMs } from './limits';
import { answeredAt, answerEventId, openCount } from './open-calls';
import { claim, CONCURRENT_GUARD, guardWindow, type ConnectionTimeState } from './state';
import { NO_FINDINGS } from '../finding';

/**
 * concurrent_calls: more calls held up at once than a person can take part
 * in. Checked on timers only, minHeldSeconds after the answer that raised the
 * count: by then the watermark has passed every `end` up to that moment (so
 * an `end` delivered a little late is not mistaken for an open call), and a
 * call counts only if it has stayed up that long (a brief overlap is not
 * "held").
 */
const RULE = 'concurrent_calls';

export function checkConcurrentCalls(state: ConnectionTimeState, accountId: string, at: number, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(RULE);
  if (!config || openCount(state) <= config.threshold) return NO_FINDINGS;
  const heldSince = at - minHeldMs(config);
  const held: string[] = [];
  for (let i = 0; i < openCount(state); i++) if (answeredAt(state, i) <= heldSince) held.push(answerEventId(state, i));
  if (held.length <= config.threshold || claim(state, CONCURRENT_GUARD, at, config.windowMs) !== 'fire') return NO_FINDINGS;
  return [
    finding({
      accountId,
      rule: RULE,
      config,
      windowStart: guardWindow(state, CONCURRENT_GUARD),
      detectedAt: at,
      metric: 'openCalls',
      value: held.length,
      evidence: held,
    }),
  ];
}
