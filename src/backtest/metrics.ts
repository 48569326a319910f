import { CATEGORIES, type Category } from '../events/types';
import type { AccountLabel } from '../simulate/labels';

/**
 * How well the detectors did against labelled traffic, per account (the
 * unit enforcement acts on). For a category: the accounts labelled with it
 * are the positives; a legitimate account flagged in it is a false
 * positive; an abusive account flagged in a category it was not labelled
 * with is counted apart ("other abusive"), not against precision, since
 * acting on it is still right. Time to detect is the first violation of the
 * category minus the account's first abusive event (a flag before it counts
 * as 0).
 */
export interface Flag {
  accountId: string;
  category: Category;
  rule: string;
  detectedAt: number;
}

export interface Distribution {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
  maxMs: number | null;
}

export interface CategoryScore {
  category: Category;
  /** Abusive accounts labelled with the category. */
  expected: number;
  truePositives: number;
  falsePositives: number;
  otherAbusive: number;
  /** null when nothing was flagged (no precision to speak of). */
  precision: number | null;
  /** null when no account was labelled with the category. */
  recall: number | null;
  ttd: Distribution;
}

export type Labels = ReadonlyMap<string, AccountLabel>;

/** The p-th percentile (0–1) of ascending values, nearest rank; null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? null;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, medianMs: percentile(sorted, 0.5), p90Ms: percentile(sorted, 0.9), maxMs: sorted.length === 0 ? null : (sorted[sorted.length - 1] ?? null) };
}

/** The earliest detection per account and category. */
export function firstDetections(flags: readonly Flag[]): Map<string, Map<Category, number>> {
  const out = new Map<string, Map<Category, number>>();
  for (const f of flags) {
    const byCategory = out.get(f.accountId) ?? new Map<Category, number>();
    const seen = byCategory.get(f.category);
    if (seen === undefined || f.detectedAt < seen) byCategory.set(f.category, f.detectedAt);
    out.set(f.accountId, byCategory);
  }
  return out;
}

/** Time to detect, per account, for the category (or the account's own categories when none is given). */
export function timesToDetect(labels: Labels, flags: readonly Flag[], category?: Category): number[] {
  const first = firstDetections(flags);
  const out: number[] = [];
  for (const label of labels.values()) {
    if (label.label !== 'abusive' || label.firstAbusiveEventTime === null) continue;
    const wanted = category === undefined ? label.categories : label.categories.filter((c) => c === category);
    const times = wanted.flatMap((c) => {
      const t = first.get(label.accountId)?.get(c);
      return t === undefined ? [] : [t];
    });
    if (times.length > 0) out.push(Math.max(0, Math.min(...times) - label.firstAbusiveEventTime));
  }
  return out;
}

export function scoreCategories(labels: Labels, flags: readonly Flag[]): CategoryScore[] {
  const first = firstDetections(flags);
  return CATEGORIES.map((category) => {
    let expected = 0;
    let truePositives = 0;
    let falsePositives = 0;
    let otherAbusive = 0;
    for (const label of labels.values()) {
      const isExpected = label.label === 'abusive' && label.categories.includes(category);
      const flagged = first.get(label.accountId)?.has(category) === true;
      if (isExpected) expected++;
      if (!flagged) continue;
      if (isExpected) truePositives++;
      else if (label.label === 'legitimate') falsePositives++;
      else otherAbusive++;
    }
    return {
      category,
      expected,
      truePositives,
      falsePositives,
      otherAbusive,
      precision: truePositives + falsePositives === 0 ? null : truePositives / (truePositives + falsePositives),
      recall: expected === 0 ? null : truePositives / expected,
      ttd: distribution(timesToDetect(labels, flags, category)),
    };
  });
}

export interface PersonaOutcome {
  persona: string;
  label: AccountLabel['label'];
  lookAlike: boolean;
  accounts: number;
  /** Accounts with any violation. */
  flagged: number;
  /** Abusive: accounts flagged in every one of their categories. */
  caught: number;
  /** Violations per rule over the persona's accounts (each account counted once per rule). */
  rules: Record<string, number>;
}

/** Per persona: how many of its accounts were flagged, and by which rules; false positives are the legitimate rows. */
export function personaOutcomes(labels: Labels, flags: readonly Flag[]): PersonaOutcome[] {
  const rulesOf = new Map<string, Set<string>>();
  for (const f of flags) rulesOf.set(f.accountId, (rulesOf.get(f.accountId) ?? new Set()).add(f.rule));
  const first = firstDetections(flags);
  const out = new Map<string, PersonaOutcome>();
  for (const label of labels.values()) {
    const row = out.get(label.persona) ?? { persona: label.persona, label: label.label, lookAlike: label.lookAlike, accounts: 0, flagged: 0, caught: 0, rules: {} };
    row.accounts++;
    const rules = rulesOf.get(label.accountId);
    if (rules) {
      row.flagged++;
      for (const r of rules) row.rules[r] = (row.rules[r] ?? 0) + 1;
    }
    if (label.label === 'abusive' && label.categories.length > 0 && label.categories.every((c) => first.get(label.accountId)?.has(c) === true)) row.caught++;
    out.set(label.persona, row);
  }
  return [...out.values()].sort((a, b) => (a.label === b.label ? a.persona.localeCompare(b.persona) : a.label === 'abusive' ? -1 : 1));
}

export interface RuleCount {
  rule: string;
  category: Category;
  violations: number;
  abusiveAccounts: number;
  legitimateAccounts: number;
}

/** Per rule: violations, and the distinct abusive and legitimate accounts they hit. */
export function ruleCounts(labels: Labels, flags: readonly Flag[]): RuleCount[] {
  const rows = new Map<string, RuleCount & { seen: Set<string> }>();
  for (const f of flags) {
    const row = rows.get(f.rule) ?? { rule: f.rule, category: f.category, violations: 0, abusiveAccounts: 0, legitimateAccounts: 0, seen: new Set<string>() };
    row.violations++;
    if (!row.seen.has(f.accountId)) {
      row.seen.add(f.accountId);
      if (labels.get(f.accountId)?.label === 'abusive') row.abusiveAccounts++;
      else row.legitimateAccounts++;
    }
    rows.set(f.rule, row);
  }
  return [...rows.values()].map(({ seen: _seen, ...row }) => row).sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) || a.rule.localeCompare(b.rule));
}
