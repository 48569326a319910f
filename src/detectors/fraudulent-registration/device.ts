import type { TelemetryEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { Detector, Finding } from '../types';
import { verifiedShare } from './burst';
import { evaluateBurst, newBurstState, type BurstRule, type BurstState } from './burst-rule';
import { burstStateCodec } from './codec';
import { failureRule } from './failure-rule';
import { FRAUDULENT_REGISTRATION_RULES } from './rules';
import { NO_FINDINGS } from '../finding';

/**
 * Registrations from one device (or app install), per day:
 * - registrations_per_device: distinct accounts registered. A phone
 *   reinstalled re-registers the same account; a device cycling accounts
 *   registers new ones. Every account of the device's burst is flagged.
 * - registration_verification_failures: failed or skipped code checks by
 *   accounts on the device that never verified.
 */
const RULES = ['registrations_per_device', 'registration_verification_failures'] as const;
type DeviceRule = (typeof RULES)[number];

const accountsPerDevice: BurstRule<DeviceRule> = {
  rule: 'registrations_per_device',
  crossed: (burst, config) => (burst.members.length > config.threshold ? { accounts: config.threshold } : undefined),
  metrics: (burst) => ({ accounts: burst.members.length, verifiedShare: Math.round(verifiedShare(burst) * 1000) / 1000 }),
  // The device is the actor: every account it registered in the window is part of the burst.
  inBurst: () => true,
};

const SPECS: readonly BurstRule<DeviceRule>[] = [accountsPerDevice, failureRule('registration_verification_failures')];

export type DeviceRegistrationState = BurstState<DeviceRule>;

export const fraudulentRegistrationByDevice: Detector<DeviceRegistrationState> = {
  name: 'fraudulent_registration_device',
  eventTypes: ['registration'],
  defaults: {
    registrations_per_device: FRAUDULENT_REGISTRATION_RULES.registrations_per_device,
    registration_verification_failures: FRAUDULENT_REGISTRATION_RULES.registration_verification_failures,
  },
  keyOf: (event: TelemetryEvent) => (event.type === 'registration' ? `device:${event.deviceId}` : `account:${event.accountId}`),
  stateTtlMs: (policy) => longestWindowMs(policy, RULES),
  createState: () => newBurstState(RULES),
  // No onRestore: the detector asks for no timers.
  codec: burstStateCodec('fraudulent_registration_device', RULES),
  onEvent(state, event, ctx) {
    if (event.type !== 'registration') return NO_FINDINGS;
    const findings: Finding[] = [];
    for (const spec of SPECS) findings.push(...evaluateBurst(spec, state[spec.rule], event, ctx));
    return findings;
  },
};
