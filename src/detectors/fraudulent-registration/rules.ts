import type { RuleDefaults } from '../../policy/types';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/**
 * Why these numbers, and which legitimate use each was tuned against:
 * docs/rules/fraudulent-registration.md. Counts are of registration events
 * (one per attempt to register an account).
 */
export const FRAUDULENT_REGISTRATION_RULES = {
  /** Distinct accounts registered from one device. */
  registrations_per_device: { mode: 'enforce', threshold: 3, windowMs: DAY, severity: 'high', action: 'suspend' },
  /** Failed or skipped verifications on one device, of accounts that have not verified. */
  registration_verification_failures: { mode: 'enforce', threshold: 3, windowMs: DAY, severity: 'medium', action: 'throttle' },
  /**
   * Distinct accounts registered from one IP address within an hour, counted
   * only when the burst is fraud-shaped: a verified share below
   * minVerifiedShare, or more than maxAccountsPerDevice accounts per device.
   */
  registrations_per_ip: {
    mode: 'enforce',
    threshold: 10,
    windowMs: HOUR,
    severity: 'high',
    action: 'suspend',
    params: { minVerifiedShare: 0.5, maxAccountsPerDevice: 2 },
  },
  /** Failed or skipped verifications of one phone number, by accounts that have not verified it. */
  failed_number_registration: { mode: 'enforce', threshold: 3, windowMs: DAY, severity: 'medium', action: 'throttle' },
} as const satisfies Record<string, RuleDefaults>;

export type FraudulentRegistrationRule = keyof typeof FRAUDULENT_REGISTRATION_RULES;

/** Accounts kept per key and window; thresholds must stay below it to be reachable. */
export const MAX_BURST_ACCOUNTS = 64;
/** Distinct devices kept per key and window (the IP rule's accounts-per-device ratio). */
export const MAX_BURST_DEVICES = 64;
/** An account's own registration event ids kept as the head of its evidence. */
export const MAX_EVENT_IDS_PER_ACCOUNT = 3;
/** Event ids in one finding's evidence. */
export const EVIDENCE_SAMPLE = 10;
