import type { TelemetryEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { RuleConfig } from '../../policy/types';
import type { Detector } from '../types';
import { accountsOnDevice, verifiedShare, type Burst, type BurstMember } from './burst';
import { evaluateBurst, newBurstState, type BurstRule, type BurstState } from './burst-rule';
import { burstStateCodec } from './codec';
import { FRAUDULENT_REGISTRATION_RULES } from './rules';
import { NO_FINDINGS } from '../finding';

/**
 * registrations_per_ip: distinct accounts registered from one IP address
 * within an hour, when the burst is fraud-shaped. Many accounts behind one
 * address is normal for a carrier-grade NAT or a campus: there each account
 * comes from its own device and verifies its number. A farm's burst is
 * concentrated in time (the one-hour window), and fails or skips
 * verification (verified share below minVerifiedShare) or cycles accounts
 * through few devices (more than maxAccountsPerDevice accounts per device).
 *
 * Flagged with the burst: accounts that did not verify, and accounts from a
 * device that registered more than maxAccountsPerDevice accounts. A verified
 * account on its own device is a bystander sharing the address (a CGNAT
 * customer who registered during the farm's hour) and is spared.
 */
const RULES = ['registrations_per_ip'] as const;
type IpRule = (typeof RULES)[number];
const DEFAULT_PARAMS = FRAUDULENT_REGISTRATION_RULES.registrations_per_ip.params;

function params(config: Readonly<RuleConfig>): { minVerifiedShare: number; maxAccountsPerDevice: number } {
  return {
    minVerifiedShare: config.params.minVerifiedShare ?? DEFAULT_PARAMS.minVerifiedShare,
    maxAccountsPerDevice: config.params.maxAccountsPerDevice ?? DEFAULT_PARAMS.maxAccountsPerDevice,
  };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const accountsPerDevice = (burst: Burst): number => burst.members.length / Math.max(1, burst.devices.length);

const accountsPerIp: BurstRule<IpRule> = {
  rule: 'registrations_per_ip',
  crossed(burst, config) {
    if (burst.members.length <= config.threshold) return undefined;
    const { minVerifiedShare, maxAccountsPerDevice } = params(config);
    const limits: Record<string, number> = {};
    if (verifiedShare(burst) < minVerifiedShare) limits.verifiedShare = minVerifiedShare;
    if (accountsPerDevice(burst) > maxAccountsPerDevice) limits.accountsPerDevice = maxAccountsPerDevice;
    // Many accounts that verify, each on its own device: a shared address, not a farm.
    if (Object.keys(limits).length === 0) return undefined;
    return { accounts: config.threshold, ...limits };
  },
  metrics: (burst) => ({
    accounts: burst.members.length,
    devices: burst.devices.length,
    verifiedShare: round(verifiedShare(burst)),
    accountsPerDevice: round(accountsPerDevice(burst)),
  }),
  inBurst: (member: BurstMember, burst: Burst, config: Readonly<RuleConfig>) =>
    !member.verified || accountsOnDevice(burst, member.deviceId) > params(config).maxAccountsPerDevice,
};

export type IpRegistrationState = BurstState<IpRule>;

export const fraudulentRegistrationByIp: Detector<IpRegistrationState> = {
  name: 'fraudulent_registration_ip',
  eventTypes: ['registration'],
  defaults: { registrations_per_ip: FRAUDULENT_REGISTRATION_RULES.registrations_per_ip },
  keyOf: (event: TelemetryEvent) => (event.type === 'registration' ? `ip:${event.ipAddress}` : `account:${event.accountId}`),
  stateTtlMs: (policy) => longestWindowMs(policy, RULES),
  createState: () => newBurstState(RULES),
  // No onRestore: the detector asks for no timers.
  codec: burstStateCodec('fraudulent_registration_ip', RULES),
  onEvent: (state, event, ctx) => (event.type === 'registration' ? evaluateBurst(accountsPerIp, state.registrations_per_ip, event, ctx) : NO_FINDINGS),
};
