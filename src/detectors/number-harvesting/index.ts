import { longestWindowMs } from '../../policy/resolve';
import type { Detector } from '../types';
import { NO_FINDINGS } from '../finding';
import { calleeNumber } from './callee-number';
import { numberHarvestingCodec } from './codec';
import { onCallEnd } from './outcome-sweeps';
import { NUMBER_HARVESTING_RULES } from './rules';
import { onCallStart } from './sequential-dialling';
import { createNumberHarvestingState, NUMBER_HARVESTING_ROWS, type NumberHarvestingState } from './state';

export type { NumberHarvestingState } from './state';

/**
 * NUMBER_HARVESTING: data mining of phone numbers. A harvester dials numbers
 * it does not know to learn which exist and who answers, so its calls walk
 * number ranges (sequential_dialling), mostly go unanswered or hit invalid
 * numbers (unanswered_sweep), or are dropped the moment they connect
 * (short_call_sweep). Allow-listed destinations are never counted.
 */
export const numberHarvesting: Detector<NumberHarvestingState> = {
  name: 'number_harvesting',
  eventTypes: ['call'],
  defaults: NUMBER_HARVESTING_RULES,
  keyOf: (event) => event.accountId,
  stateTtlMs: (policy) => longestWindowMs(policy, Object.keys(NUMBER_HARVESTING_RULES)),
  createState: createNumberHarvestingState,
  rows: NUMBER_HARVESTING_ROWS,
  codec: numberHarvestingCodec,
  onEvent(state, event, ctx) {
    if (event.type !== 'call' || ctx.policy.allow.destinations.has(event.to)) return NO_FINDINGS;
    const callee = calleeNumber(event.to);
    if (callee === undefined) return NO_FINDINGS;
    // A call is dialled once (start) and ends once (end); `answer` adds nothing the end does not say.
    if (event.phase === 'start') return onCallStart(state, event, callee, ctx);
    if (event.phase === 'end') return onCallEnd(state, event, callee, ctx);
    return NO_FINDINGS;
  },
};
