import type { Flag, Labels } from './metrics';

/**
 * What a new policy would change, account by account: the shadow-mode review
 * before a rollout. Rules are compared as sets per account: an account whose
 * rules differ is "changed", one with none before is "newly flagged", one
 * with none after is "no longer flagged".
 */
export type Change = 'newly flagged' | 'no longer flagged' | 'changed';

export interface AccountChange {
  accountId: string;
  persona: string;
  label: string;
  change: Change;
  before: string[];
  after: string[];
}

function rulesByAccount(flags: readonly Flag[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const f of flags) out.set(f.accountId, (out.get(f.accountId) ?? new Set()).add(`${f.category}/${f.rule}`));
  return out;
}

export function comparePolicies(labels: Labels, before: readonly Flag[], after: readonly Flag[]): AccountChange[] {
  const a = rulesByAccount(before);
  const b = rulesByAccount(after);
  const changes: AccountChange[] = [];
  for (const accountId of new Set([...a.keys(), ...b.keys()])) {
    const was = [...(a.get(accountId) ?? [])].sort();
    const now = [...(b.get(accountId) ?? [])].sort();
    if (was.join() === now.join()) continue;
    const label = labels.get(accountId);
    changes.push({
      accountId,
      persona: label?.persona ?? '(unlabelled)',
      label: label?.label ?? 'unknown',
      change: was.length === 0 ? 'newly flagged' : now.length === 0 ? 'no longer flagged' : 'changed',
      before: was,
      after: now,
    });
  }
  const order: Change[] = ['newly flagged', 'no longer flagged', 'changed'];
  return changes.sort((x, y) => order.indexOf(x.change) - order.indexOf(y.change) || x.label.localeCompare(y.label) || x.accountId.localeCompare(y.accountId));
}
