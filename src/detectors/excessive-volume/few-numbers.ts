import { EvidenceRing } from '../../engine/evidence-ring';
import { countEvent, newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import type { CallEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { RuleConfig } from '../../policy/types';
import type { Detector, Finding } from '../types';
import { fewNumbersCodec } from './codec';
import { FEW_NUMBERS_RULES, FEW_NUMBERS_SLOTS } from './flood-rules';
import { newHeavyHitters, offer, resetHeavyHitters, topSum, type HeavyHitters } from './heavy-hitters';
import { FINDING_EVIDENCE, volumeFinding } from './volume-finding';

/**
 * EXCESSIVE_VOLUME aimed at a few numbers: an account whose hour of calls goes
 * mostly to a handful of numbers, at a volume no one-number limit sees because
 * it is split over the target's lines. Keyed by account; the destinations are
 * summarised in FEW_NUMBERS_SLOTS slots and never leave the state.
 */
const RULE = 'calls_to_few_numbers';
const DEFAULT_PARAMS = FEW_NUMBERS_RULES.calls_to_few_numbers.params;

export interface FewNumbersState {
  /** Every counted call of the window (allow-listed destinations excluded). */
  calls: TumblingCounter;
  top: HeavyHitters;
  recent: EvidenceRing;
}

function settings(config: Readonly<RuleConfig>): { maxNumbers: number; minSharePercent: number } {
  const maxNumbers = Math.min(Math.floor(config.params.maxNumbers ?? DEFAULT_PARAMS.maxNumbers), FEW_NUMBERS_SLOTS);
  return { maxNumbers, minSharePercent: config.params.minSharePercent ?? DEFAULT_PARAMS.minSharePercent };
}

function evaluate(state: FewNumbersState, event: CallEvent, config: Readonly<RuleConfig>): Finding[] {
  const { maxNumbers, minSharePercent } = settings(config);
  const total = state.calls.count;
  const top = topSum(state.top, maxNumbers);
  if (state.calls.fired || top.sum <= config.threshold || top.sum * 100 < minSharePercent * total) return [];
  state.calls.fired = true;
  const start = state.calls.windowStart;
  return [
    volumeFinding({
      accountId: event.accountId,
      rule: RULE,
      config,
      windowStart: start,
      detectedAt: event.eventTime,
      metrics: { calls: total, callsToTopNumbers: top.sum, topNumbers: top.values, sharePercent: Math.floor((top.sum * 100) / total) },
      thresholds: { callsToTopNumbers: config.threshold, sharePercent: minSharePercent },
      evidence: state.recent.since(start),
    }),
  ];
}

export const fewNumbersFlood: Detector<FewNumbersState> = {
  name: 'excessive_volume_few_numbers',
  eventTypes: ['call'],
  defaults: FEW_NUMBERS_RULES,
  keyOf: (event) => event.accountId,
  stateTtlMs: (policy) => longestWindowMs(policy, [RULE]),
  createState: () => ({ calls: newCounter(), top: newHeavyHitters(), recent: new EvidenceRing(FINDING_EVIDENCE) }),
  codec: fewNumbersCodec,
  onEvent(state, event, ctx) {
    // A call is counted once, when dialled; its answer and end are the same call.
    if (event.type !== 'call' || event.phase !== 'start') return [];
    const config = ctx.rule(RULE);
    if (!config || ctx.policy.allow.destinations.has(event.to)) return [];
    const windowBefore = state.calls.windowStart;
    if (countEvent(state.calls, event.eventTime, config.windowMs) === 'late') {
      ctx.late(RULE);
      return [];
    }
    // A new window starts a new summary: last hour's targets are not this hour's.
    if (state.calls.windowStart !== windowBefore) resetHeavyHitters(state.top);
    offer(state.top, event.to, FEW_NUMBERS_SLOTS);
    state.recent.push(event.eventId, event.eventTime);
    return evaluate(state, event, config);
  },
};
