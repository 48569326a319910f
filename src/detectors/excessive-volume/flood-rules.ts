import type { RuleDefaults } from '../../policy/types';

const HOUR = 3_600_000;

/**
 * Defaults per account and destination number (counted per account, see
 * contact-flood.ts): repeated contact of one person. Why these numbers: docs/rules/excessive-volume.md.
 */
export const CONTACT_FLOOD_RULES = {
  calls_to_one_number: { mode: 'enforce', threshold: 20, windowMs: HOUR, severity: 'medium', action: 'throttle' },
  messages_to_one_number: { mode: 'enforce', threshold: 150, windowMs: HOUR, severity: 'medium', action: 'throttle' },
} as const satisfies Record<string, RuleDefaults>;

export type ContactFloodRule = keyof typeof CONTACT_FLOOD_RULES;

/**
 * Defaults per account: most of an hour's calls aimed at a handful of numbers
 * (one person's mobile, home and work line), each kept under the one-number
 * limit. `threshold` applies to the calls to the `maxNumbers` most-called
 * numbers; `minSharePercent` is the share of all the hour's calls they must
 * make up, so a busy caller with a few regular contacts stays clear.
 */
export const FEW_NUMBERS_RULES = {
  calls_to_few_numbers: {
    mode: 'enforce',
    threshold: 40,
    windowMs: HOUR,
    severity: 'medium',
    action: 'throttle',
    params: { maxNumbers: 3, minSharePercent: 50 },
  },
} as const satisfies Record<string, RuleDefaults>;

/**
 * Destinations tracked per account and window (Misra–Gries slots). Counts are
 * exact while an hour's calls go to at most this many numbers, which is the
 * case the rule is about; `maxNumbers` is capped at it.
 */
export const FEW_NUMBERS_SLOTS = 8;
