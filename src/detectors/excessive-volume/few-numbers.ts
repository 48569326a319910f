import type { CallEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { RuleConfig } from '../../policy/types';
import type { Detector, Finding } from '../types';
import { fewNumbersCodec } from './codec';
import { FEW_NUMBERS_RULES, FEW_NUMBERS_SLOTS } from './flood-rules';
import { offerPacked, topSumPacked } from './heavy-hitters';
import { FEW_NUMBERS_LAYOUT, fewNumbersTopAt } from './layout';
import { spliceNumbers, spliceStrings } from '../../engine/row-tails';
import { countAt, counterCount, counterFired, counterWindowStart, markFired, ringPush, ringSince, type Packed } from './packed';
import { volumeFinding } from './volume-finding';
import { NO_FINDINGS } from '../finding';

/**
 * EXCESSIVE_VOLUME aimed at a few numbers: an account whose hour of calls goes
 * mostly to a handful of numbers, at a volume no one-number limit sees because
 * it is split over the target's lines. Keyed by account; the destinations are
 * summarised in FEW_NUMBERS_SLOTS slots and never leave the state.
 *
 * The state, per account, is a row packed as FEW_NUMBERS_LAYOUT says
 * (layout.ts), in the engine's columns. Its counter counts every
 * counted call of the window (allow-listed destinations excluded).
 */
const RULE = 'calls_to_few_numbers';
const DEFAULT_PARAMS = FEW_NUMBERS_RULES.calls_to_few_numbers.params;
const L = FEW_NUMBERS_LAYOUT;
const COUNTER = L.counterAt(0, 0);

export type FewNumbersState = Packed;

function settings(config: Readonly<RuleConfig>): { maxNumbers: number; minSharePercent: number } {
  const maxNumbers = Math.min(Math.floor(config.params.maxNumbers ?? DEFAULT_PARAMS.maxNumbers), FEW_NUMBERS_SLOTS);
  return { maxNumbers, minSharePercent: config.params.minSharePercent ?? DEFAULT_PARAMS.minSharePercent };
}

function evaluate(state: FewNumbersState, event: CallEvent, config: Readonly<RuleConfig>): readonly Finding[] {
  const { maxNumbers, minSharePercent } = settings(config);
  const total = counterCount(state, COUNTER);
  if (counterFired(state, COUNTER)) return NO_FINDINGS;
  const topAt = fewNumbersTopAt(state);
  const sum = topSumPacked(state, topAt, maxNumbers);
  if (sum <= config.threshold || sum * 100 < minSharePercent * total) return NO_FINDINGS;
  const top = { sum, values: Math.min(Math.max(0, maxNumbers), Math.max(0, state.nLength - topAt)) };
  markFired(state, COUNTER);
  const start = counterWindowStart(state, COUNTER);
  return [
    volumeFinding({
      accountId: event.accountId,
      rule: RULE,
      config,
      windowStart: start,
      detectedAt: event.eventTime,
      metrics: { calls: total, callsToTopNumbers: top.sum, topNumbers: top.values, sharePercent: Math.floor((top.sum * 100) / total) },
      thresholds: { callsToTopNumbers: config.threshold, sharePercent: minSharePercent },
      evidence: ringSince(state, L.ring, 0, start),
    }),
  ];
}

export const fewNumbersFlood: Detector<FewNumbersState> = {
  name: 'excessive_volume_few_numbers',
  eventTypes: ['call'],
  defaults: FEW_NUMBERS_RULES,
  keyOf: (event) => event.accountId,
  stateTtlMs: (policy) => longestWindowMs(policy, [RULE]),
  createState: () => L.create(),
  rows: L.rows,
  codec: fewNumbersCodec,
  onEvent(state, event, ctx) {
    // A call is counted once, when dialled; its answer and end are the same call.
    if (event.type !== 'call' || event.phase !== 'start') return NO_FINDINGS;
    const config = ctx.rule(RULE);
    if (!config || ctx.policy.allow.destinations.has(event.to)) return NO_FINDINGS;
    const windowBefore = counterWindowStart(state, COUNTER);
    if (countAt(state, COUNTER, event.eventTime, config.windowMs) === 'late') {
      ctx.late(RULE);
      return NO_FINDINGS;
    }
    const top = fewNumbersTopAt(state);
    // A new window starts a new summary: last hour's targets are not this hour's.
    if (counterWindowStart(state, COUNTER) !== windowBefore && state.sLength > top) {
      spliceStrings(state, top, state.sLength - top, []);
      spliceNumbers(state, top, state.nLength - top, []);
    }
    offerPacked(state, top, top, event.to, FEW_NUMBERS_SLOTS);
    ringPush(state, L.ring, 0, event.eventId, event.eventTime);
    return evaluate(state, event, config);
  },
};
