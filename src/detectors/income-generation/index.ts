import type { CallEvent, MessageEvent } from '../../events/types';
import { highRiskPrefixOf, longestWindowMs } from '../../policy/resolve';
import type { Policy } from '../../policy/types';
import type { Detector, DetectorContext, Finding } from '../types';
import { incomeGenerationCodec } from './codec';
import { onHighRiskEnd } from './connected-time';
import { onHighRiskMessage } from './high-risk-messages';
import type { HighRiskHolder } from './high-risk-state';
import { longestHistoryMs, onCallStart, type RangeHistory } from './new-range-surge';
import { onHighRiskAnswer } from './repeat-calls';
import { INCOME_GENERATION_RULES } from './rules';
import { NO_FINDINGS } from '../finding';

/**
 * INCOME_GENERATION: calling or messaging so that someone is paid for the
 * traffic (traffic pumping, premium-rate and revenue-share numbers, IRSF).
 * - high_risk_repeat_calls: connected calls concentrated on a few high-risk numbers;
 * - high_risk_connected_minutes: connected time to high-risk numbers;
 * - high_risk_messages: messages to high-risk numbers;
 * - new_range_surge: a burst of calls into a range the account rarely or never called.
 * High-risk = the policy's highRiskPrefixes. Allow-listed destinations count nowhere.
 *
 * Every part of the state is created on first need: the range history
 * (new-range-surge.ts) at the account's first dialled call, the high-risk
 * rules' state (high-risk-state.ts) at its first high-risk call or message,
 * which most accounts never make.
 */
export type IncomeGenerationState = RangeHistory & HighRiskHolder;

const counts = (policy: Policy, to: string): boolean => !policy.allow.destinations.has(to);
const highRisk = (policy: Policy, to: string): boolean => highRiskPrefixOf(policy, to) !== undefined;

function onCall(state: IncomeGenerationState, event: CallEvent, ctx: DetectorContext): readonly Finding[] {
  if (!counts(ctx.policy, event.to)) return NO_FINDINGS;
  switch (event.phase) {
    case 'start':
      return onCallStart(state, event, ctx);
    case 'answer':
      return highRisk(ctx.policy, event.to) ? onHighRiskAnswer(state, event, ctx) : [];
    case 'end': {
      const duration = event.durationMs ?? 0;
      return duration > 0 && highRisk(ctx.policy, event.to) ? onHighRiskEnd(state, event, duration, ctx) : [];
    }
  }
}

function onMessage(state: IncomeGenerationState, event: MessageEvent, ctx: DetectorContext): readonly Finding[] {
  return counts(ctx.policy, event.to) && highRisk(ctx.policy, event.to) ? onHighRiskMessage(state, event, ctx) : [];
}

export const incomeGeneration: Detector<IncomeGenerationState> = {
  name: 'income_generation',
  eventTypes: ['call', 'message'],
  defaults: INCOME_GENERATION_RULES,
  keyOf: (event) => event.accountId,
  // The range history must outlive the windows: an account that calls abroad once a week still has a history.
  stateTtlMs: (policy) => Math.max(longestWindowMs(policy, Object.keys(INCOME_GENERATION_RULES)), longestHistoryMs(policy)),
  createState: () => ({ ranges: undefined, rangeEvidence: undefined, highRisk: undefined }),
  onEvent(state, event, ctx) {
    if (event.type === 'call') return onCall(state, event, ctx);
    if (event.type === 'message') return onMessage(state, event, ctx);
    return NO_FINDINGS;
  },
  // No onRestore: the detector asks for no timers.
  codec: incomeGenerationCodec,
};
