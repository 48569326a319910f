import type { HighRiskPrefix, Policy, RuleConfig, Tier } from './types';

/** The tier of an account: an explicit list wins over a prefix; the longest prefix wins among prefixes. */
export function tierOf(policy: Policy, accountId: string): Tier | undefined {
  let best: Tier | undefined;
  let bestLength = -1;
  // Indexed loops here and below: called for every event, and for-of over the policy's frozen arrays allocates as it iterates.
  for (let t = 0; t < policy.tiers.length; t++) {
    const tier = policy.tiers[t] as Tier;
    if (tier.accounts.has(accountId)) return tier;
    for (let i = 0; i < tier.accountPrefixes.length; i++) {
      const prefix = tier.accountPrefixes[i] as string;
      if (prefix.length > bestLength && accountId.startsWith(prefix)) {
        best = tier;
        bestLength = prefix.length;
      }
    }
  }
  return best;
}

/** The settings of every rule for one account (its tier's, else the policy's). */
export function rulesFor(policy: Policy, accountId: string): Readonly<Record<string, Readonly<RuleConfig>>> {
  return tierOf(policy, accountId)?.rules ?? policy.rules;
}

/** The longest high-risk prefix that `number` starts with. */
export function highRiskPrefixOf(policy: Policy, number: string): HighRiskPrefix | undefined {
  let best: HighRiskPrefix | undefined;
  for (let i = 0; i < policy.highRiskPrefixes.length; i++) {
    const p = policy.highRiskPrefixes[i] as HighRiskPrefix;
    if (number.startsWith(p.prefix) && (!best || p.prefix.length > best.prefix.length)) best = p;
  }
  return best;
}

/** The longest window any tier gives a rule: state must live that long. */
export function longestWindowMs(policy: Policy, rules: readonly string[]): number {
  let longest = 0;
  for (const table of [policy.rules, ...policy.tiers.map((t) => t.rules)]) {
    for (const r of rules) longest = Math.max(longest, table[r]?.windowMs ?? 0);
  }
  return longest;
}
