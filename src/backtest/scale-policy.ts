import type { Policy, RuleConfig } from '../policy/types';

/**
 * The same policy with every rule's threshold multiplied by `factor` (tiers
 * too), to see what each threshold buys: a rule's findings depend only on
 * its own settings, so scaling them all at once shows each rule's effect in
 * one replay. Counts are rounded to whole numbers; a threshold of 0 (one
 * event is enough) stays 0.
 */
function scaleRules(rules: Readonly<Record<string, Readonly<RuleConfig>>>, factor: number): Record<string, RuleConfig> {
  return Object.fromEntries(Object.entries(rules).map(([name, rule]) => [name, Object.freeze({ ...rule, threshold: Math.round(rule.threshold * factor) })]));
}

export function scalePolicy(policy: Policy, factor: number): Policy {
  return Object.freeze({
    ...policy,
    version: `${policy.version}-x${factor}`,
    rules: Object.freeze(scaleRules(policy.rules, factor)),
    tiers: Object.freeze(policy.tiers.map((t) => Object.freeze({ ...t, rules: Object.freeze(scaleRules(t.rules, factor)) }))),
  });
}
