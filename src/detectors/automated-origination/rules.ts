import type { RuleDefaults } from '../../policy/types';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Defaults, per account. Why these numbers: docs/rules/automated-origination.md.
 * - sustained_origination_rate: threshold = consecutive busy minutes allowed
 *   (a busy minute holds at least `minPerMinute` originations); the window
 *   only limits how often a run that goes on is reported (once an hour).
 * - regular_interarrival: threshold = machine-regular runs allowed per window
 *   (0: the first one is a finding); the run length, CV limit and slowest
 *   cadence judged are params.
 * - no_diurnal_rest: threshold = active hours allowed in a rolling window.
 * - short_answered_calls, api_originations_per_hour: counts per tumbling window.
 */
export const AUTOMATED_ORIGINATION_RULES = {
  sustained_origination_rate: { mode: 'enforce', threshold: 20, windowMs: HOUR, severity: 'high', action: 'throttle', params: { minPerMinute: 10 } },
  regular_interarrival: {
    mode: 'enforce',
    threshold: 0,
    windowMs: DAY,
    severity: 'high',
    action: 'suspend',
    params: { minEvents: 30, maxCv: 0.1, maxMeanGapSeconds: 120 },
  },
  no_diurnal_rest: { mode: 'enforce', threshold: 21, windowMs: DAY, severity: 'medium', action: 'throttle', params: { minPerHour: 2 } },
  short_answered_calls: { mode: 'enforce', threshold: 30, windowMs: HOUR, severity: 'medium', action: 'throttle', params: { shortCallSeconds: 6 } },
  api_originations_per_hour: { mode: 'enforce', threshold: 300, windowMs: HOUR, severity: 'medium', action: 'warn' },
} as const satisfies Record<string, RuleDefaults>;

export type AutomatedOriginationRule = keyof typeof AUTOMATED_ORIGINATION_RULES;
export const RULE_NAMES = Object.keys(AUTOMATED_ORIGINATION_RULES) as AutomatedOriginationRule[];

/** Event ids a finding carries at most. */
export const EVIDENCE_SAMPLE = 10;
/** Inter-arrival times kept per account and kind: bounds `minEvents` at GAP_RING_CAPACITY + 1. */
export const GAP_RING_CAPACITY = 64;
/** Hours no_diurnal_rest judges at most (only the active ones are held): a window longer than a week is judged over its last week. */
export const MAX_ACTIVITY_HOURS = 7 * 24;

export { param } from '../finding';
