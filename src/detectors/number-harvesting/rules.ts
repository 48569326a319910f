import type { RuleConfig, RuleDefaults } from '../../policy/types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Defaults, per account. Why these numbers and which legitimate use each was
 * tuned against: docs/rules/number-harvesting.md.
 * - sequential_dialling: new callees that sit next to the previous callee
 *   (`maxStep`) or in the same block of 10^`blockDigits` numbers as a recent
 *   one, per hour.
 * - unanswered_sweep: distinct callees whose calls ended unanswered or
 *   invalid, per hour, when at least `minUnansweredShare` of ended calls did.
 * - short_call_sweep: distinct callees whose calls connected for less than
 *   `maxConnectedMs`, per day, when at least `minShortShare` of ended calls did.
 */
export const NUMBER_HARVESTING_RULES = {
  sequential_dialling: { mode: 'enforce', threshold: 20, windowMs: HOUR, severity: 'high', action: 'suspend', params: { maxStep: 10, blockDigits: 2 } },
  unanswered_sweep: { mode: 'enforce', threshold: 30, windowMs: HOUR, severity: 'medium', action: 'throttle', params: { minUnansweredShare: 0.6 } },
  short_call_sweep: { mode: 'enforce', threshold: 50, windowMs: DAY, severity: 'high', action: 'suspend', params: { maxConnectedMs: 2000, minShortShare: 0.8 } },
} as const satisfies Record<string, RuleDefaults>;

export type NumberHarvestingRule = keyof typeof NUMBER_HARVESTING_RULES;

/** Distinct callees kept per window and rule; thresholds must stay below it to be reachable. */
export const DISTINCT_CALLEE_CAP = 128;

/** Recent distinct callees remembered to recognise a walk (at 2 calls a minute, a quarter of an hour). */
export const RECENT_CALLEE_CAP = 32;

/** Event ids a finding carries, at most. */
export const EVIDENCE_SAMPLE = 10;

/** Widest block a policy may set: 10^6 numbers is already a whole exchange and then some. */
export const MAX_BLOCK_DIGITS = 6;

/**
 * A rule parameter as the account's tier sets it. The compiled policy always
 * carries every declared param; the fallback only satisfies the type checker.
 */
export function param<R extends NumberHarvestingRule>(config: Readonly<RuleConfig>, rule: R, name: keyof (typeof NUMBER_HARVESTING_RULES)[R]['params'] & string): number {
  const defaults: Readonly<Record<string, number>> = NUMBER_HARVESTING_RULES[rule].params;
  return config.params[name] ?? defaults[name] ?? 0;
}
