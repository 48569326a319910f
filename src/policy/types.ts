import type { Action, Severity } from '../events/types';

/**
 * `enforce`: violations are published. `shadow`: evaluated and counted in
 * metrics, not published (to try a rule on live traffic). `off`: not evaluated.
 */
export const RULE_MODES = ['enforce', 'shadow', 'off'] as const;
export type RuleMode = (typeof RULE_MODES)[number];

export interface RuleConfig {
  mode: RuleMode;
  /** The most that is allowed; a count above it is a finding. */
  threshold: number;
  /** Window length in event time. */
  windowMs: number;
  severity: Severity;
  action: Action;
}

export interface Policy {
  /** Copied into every violation's policyVersion. */
  version: string;
  rules: Readonly<Record<string, Readonly<RuleConfig>>>;
}
