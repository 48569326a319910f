import type { RuleDefaults } from '../../policy/types';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/**
 * Defaults, per account. "High-risk" means a destination matching the
 * policy's highRiskPrefixes; allow-listed destinations never count.
 * Why these numbers: docs/rules/income-generation.md.
 */
export const INCOME_GENERATION_RULES = {
  // Connected calls to the `maxNumbers` most-called high-risk numbers.
  high_risk_repeat_calls: { mode: 'enforce', threshold: 4, windowMs: DAY, severity: 'medium', action: 'throttle', params: { maxNumbers: 3 } },
  // Connected minutes (from `end` events' durationMs) to high-risk numbers.
  high_risk_connected_minutes: { mode: 'enforce', threshold: 30, windowMs: DAY, severity: 'high', action: 'suspend' },
  // Messages to high-risk numbers.
  high_risk_messages: { mode: 'enforce', threshold: 10, windowMs: DAY, severity: 'medium', action: 'throttle' },
  // Dialled calls to one destination range the account has rarely or never called before.
  new_range_surge: {
    mode: 'enforce',
    threshold: 20,
    windowMs: HOUR,
    severity: 'medium',
    action: 'throttle',
    params: { minHistoryCalls: 10, rareCalls: 2, historyDays: 30 },
  },
} as const satisfies Record<string, RuleDefaults>;

export type IncomeGenerationRule = keyof typeof INCOME_GENERATION_RULES;

/** Event ids a finding carries at most. */
export const EVIDENCE_SAMPLE = 10;

/** High-risk numbers whose calls are counted one by one per window; more are folded in by replacing the least-called. */
export const MAX_TRACKED_NUMBERS = 32;

/** Destination ranges remembered per account; the least recently called is forgotten first. */
export const MAX_HISTORY_RANGES = 32;

/** A policy's historyDays is clamped to this, so a typo cannot keep every account's state for years. */
export const MAX_HISTORY_DAYS = 90;
