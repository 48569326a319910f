import type { TelemetryEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { Detector } from '../types';
import { evaluateBurst, newBurstState, type BurstState } from './burst-rule';
import { burstStateCodec } from './codec';
import { failureRule } from './failure-rule';
import { FRAUDULENT_REGISTRATION_RULES } from './rules';
import { NO_FINDINGS } from '../finding';

/**
 * failed_number_registration: a phone number that keeps failing (or
 * skipping) its one-time-code check, per day. Keyed by the number, not the
 * account: a false number is the thing judged, and farms reuse a few
 * unreachable or virtual numbers across many fresh accounts that each try
 * once or twice, which a per-account count never sees. One account retrying
 * its own number is the same key, so it is covered too. Accounts that did
 * verify the number hold it and are never flagged by this rule.
 */
const RULES = ['failed_number_registration'] as const;
type NumberRule = (typeof RULES)[number];
const failedNumber = failureRule('failed_number_registration');

export type NumberRegistrationState = BurstState<NumberRule>;

export const fraudulentRegistrationByNumber: Detector<NumberRegistrationState> = {
  name: 'fraudulent_registration_number',
  eventTypes: ['registration'],
  defaults: { failed_number_registration: FRAUDULENT_REGISTRATION_RULES.failed_number_registration },
  keyOf: (event: TelemetryEvent) => (event.type === 'registration' ? `number:${event.phoneNumber}` : `account:${event.accountId}`),
  stateTtlMs: (policy) => longestWindowMs(policy, RULES),
  createState: () => newBurstState(RULES),
  // No onRestore: the detector asks for no timers.
  codec: burstStateCodec('fraudulent_registration_number', RULES),
  onEvent: (state, event, ctx) => (event.type === 'registration' ? evaluateBurst(failedNumber, state.failed_number_registration, event, ctx) : NO_FINDINGS),
};
