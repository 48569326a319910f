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
  /** Rule-specific numbers (e.g. `minEvents`); the names are fixed by the rule's defaults. */
  params: Readonly<Record<string, number>>;
}

/** A named class of accounts with its own rule settings (e.g. `business`). */
export interface Tier {
  name: string;
  accounts: ReadonlySet<string>;
  /** Account-id prefixes that put an account in this tier. */
  accountPrefixes: readonly string[];
  /** Every rule, with the tier's overrides applied over the policy's. */
  rules: Readonly<Record<string, Readonly<RuleConfig>>>;
}

/** A destination range that earns its holder money per call or message (premium rate, revenue share, IRSF targets). */
export interface HighRiskPrefix {
  prefix: string;
  label: string;
}

export interface EscalationStep {
  severity: Severity;
  action: Action;
}

export interface EnforcementPolicy {
  /** The same rule for the same account publishes again only after this, or on a real escalation. */
  cooldownMs: number;
  /** Earlier findings of the same rule and account within this span make a new one climb the ladder. */
  escalationWindowMs: number;
  /** From mildest to harshest; a finding starts at its rule's action and climbs one step per earlier finding. */
  ladder: readonly EscalationStep[];
}

export interface Policy {
  /** Copied into every violation's policyVersion. */
  version: string;
  /** Settings for accounts in no tier. */
  rules: Readonly<Record<string, Readonly<RuleConfig>>>;
  tiers: readonly Tier[];
  allow: { accounts: ReadonlySet<string>; destinations: ReadonlySet<string> };
  highRiskPrefixes: readonly HighRiskPrefix[];
  enforcement: EnforcementPolicy;
}

/** What a detector declares for each of its rules: everything but params is optional to spell out here. */
export type RuleDefaults = Omit<RuleConfig, 'params'> & { params?: Readonly<Record<string, number>> };
