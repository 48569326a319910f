import { comparePolicies } from '../../src/backtest/compare';
import { parseLabel } from '../../src/backtest/labels-file';
import { distribution, percentile, personaOutcomes, ruleCounts, scoreCategories, timesToDetect, type Flag } from '../../src/backtest/metrics';
import { scalePolicy } from '../../src/backtest/scale-policy';
import { sweepRows } from '../../src/backtest/sweep';
import { defaultRules } from '../../src/detectors';
import type { Category } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import type { AccountLabel } from '../../src/simulate/labels';

/** The backtest's arithmetic on small hand-made populations, where every figure can be worked out by hand. */
const MIN = 60_000;
const T = Date.UTC(2026, 0, 5, 10);

function label(accountId: string, persona: string, categories: Category[] = [], firstAbusiveEventTime: number | null = null): AccountLabel {
  return { accountId, persona, label: categories.length > 0 ? 'abusive' : 'legitimate', categories, firstAbusiveEventTime, group: accountId, lookAlike: persona === 'heavy_texter' };
}

const flag = (accountId: string, category: Category, rule: string, detectedAt: number): Flag => ({ accountId, category, rule, detectedAt });

// Three spammers (one missed), one dialler also flagged for volume, two legitimate accounts of which one is flagged.
const LABELS = new Map(
  [
    label('s1', 'spammer', ['BULK_MESSAGING'], T),
    label('s2', 'spammer', ['BULK_MESSAGING'], T + 10 * MIN),
    label('s3', 'spammer', ['BULK_MESSAGING'], T),
    label('d1', 'dialler', ['AUTOMATED_ORIGINATION'], T),
    label('h1', 'heavy_texter'),
    label('o1', 'ordinary'),
  ].map((l) => [l.accountId, l]),
);
const FLAGS: Flag[] = [
  flag('s1', 'BULK_MESSAGING', 'same_content_recipients', T + 5 * MIN),
  flag('s1', 'BULK_MESSAGING', 'template_campaign_recipients', T + 2 * MIN),
  flag('s2', 'BULK_MESSAGING', 'same_content_recipients', T + 40 * MIN),
  flag('d1', 'AUTOMATED_ORIGINATION', 'regular_interarrival', T + 20 * MIN),
  flag('d1', 'EXCESSIVE_VOLUME', 'calls_per_hour', T + 30 * MIN),
  flag('h1', 'BULK_MESSAGING', 'same_content_recipients', T + 3 * MIN),
];

describe('backtest metrics', () => {
  it('percentiles by nearest rank, and an empty distribution', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([7], 0.9)).toBe(7);
    expect(distribution([])).toEqual({ count: 0, medianMs: null, p90Ms: null, maxMs: null });
    expect(distribution([30, 10, 20])).toEqual({ count: 3, medianMs: 20, p90Ms: 30, maxMs: 30 });
  });

  it('scores a category: recall over labelled accounts, precision against legitimate ones, other abusive apart', () => {
    const scores = new Map(scoreCategories(LABELS, FLAGS).map((s) => [s.category, s]));
    expect(scores.get('BULK_MESSAGING')).toMatchObject({ expected: 3, truePositives: 2, falsePositives: 1, otherAbusive: 0, recall: 2 / 3, precision: 2 / 3 });
    expect(scores.get('AUTOMATED_ORIGINATION')).toMatchObject({ expected: 1, truePositives: 1, falsePositives: 0, recall: 1, precision: 1 });
    // The dialler's volume flag is right to act on but not what it was labelled with.
    expect(scores.get('EXCESSIVE_VOLUME')).toMatchObject({ expected: 0, truePositives: 0, falsePositives: 0, otherAbusive: 1, recall: null, precision: null });
  });

  it('times detection from the first abusive event to the earliest violation of the category', () => {
    // s1: earliest of its two flags (2 min); s2: 40 − 10 = 30 min; d1: 20 min (its volume flag is not its category).
    expect(timesToDetect(LABELS, FLAGS).sort((a, b) => a - b)).toEqual([2 * MIN, 20 * MIN, 30 * MIN]);
    expect(timesToDetect(LABELS, FLAGS, 'BULK_MESSAGING').sort((a, b) => a - b)).toEqual([2 * MIN, 30 * MIN]);
    const early = [flag('s3', 'BULK_MESSAGING', 'same_content_recipients', T - MIN)];
    expect(timesToDetect(LABELS, early)).toEqual([0]);
    expect(scoreCategories(LABELS, FLAGS).find((s) => s.category === 'BULK_MESSAGING')?.ttd).toEqual({ count: 2, medianMs: 2 * MIN, p90Ms: 30 * MIN, maxMs: 30 * MIN });
  });

  it('counts outcomes per persona, each account once per rule', () => {
    const rows = new Map(personaOutcomes(LABELS, FLAGS).map((p) => [p.persona, p]));
    expect(rows.get('spammer')).toMatchObject({ accounts: 3, flagged: 2, caught: 2, rules: { same_content_recipients: 2, template_campaign_recipients: 1 } });
    expect(rows.get('heavy_texter')).toMatchObject({ label: 'legitimate', lookAlike: true, accounts: 1, flagged: 1, caught: 0 });
    expect(rows.get('ordinary')).toMatchObject({ accounts: 1, flagged: 0, rules: {} });
    expect(personaOutcomes(LABELS, FLAGS)[0]?.label).toBe('abusive');
  });

  it('counts per rule violations and distinct accounts by label', () => {
    const same = ruleCounts(LABELS, [...FLAGS, flag('s1', 'BULK_MESSAGING', 'same_content_recipients', T + 9 * MIN)]).find((r) => r.rule === 'same_content_recipients');
    expect(same).toEqual({ rule: 'same_content_recipients', category: 'BULK_MESSAGING', violations: 4, abusiveAccounts: 2, legitimateAccounts: 1 });
  });

  it('sweeps: catches and false positives per rule and factor, zero where a rule found nothing', () => {
    const rows = sweepRows(LABELS, [
      { factor: 0.5, flags: FLAGS },
      { factor: 2, flags: [flag('s1', 'BULK_MESSAGING', 'same_content_recipients', T)] },
    ]);
    expect(rows.find((r) => r.rule === 'same_content_recipients')?.cells).toEqual([
      { factor: 0.5, catches: 2, falsePositives: 1 },
      { factor: 2, catches: 1, falsePositives: 0 },
    ]);
    expect(rows.find((r) => r.rule === 'regular_interarrival')?.cells).toEqual([
      { factor: 0.5, catches: 1, falsePositives: 0 },
      { factor: 2, catches: 0, falsePositives: 0 },
    ]);
  });

  it('compares two policies account by account', () => {
    const after = [flag('s1', 'BULK_MESSAGING', 'same_content_recipients', T), flag('s3', 'BULK_MESSAGING', 'new_recipient_fanout', T), flag('d1', 'AUTOMATED_ORIGINATION', 'regular_interarrival', T)];
    const changes = comparePolicies(LABELS, FLAGS, after);
    expect(changes.map((c) => [c.accountId, c.change])).toEqual([
      ['s3', 'newly flagged'],
      ['s2', 'no longer flagged'],
      ['h1', 'no longer flagged'],
      ['d1', 'changed'],
      ['s1', 'changed'],
    ]);
    expect(changes.find((c) => c.accountId === 'h1')).toMatchObject({ persona: 'heavy_texter', label: 'legitimate', before: ['BULK_MESSAGING/same_content_recipients'], after: [] });
    expect(comparePolicies(LABELS, FLAGS, FLAGS)).toEqual([]);
  });

  it('scales every threshold of a policy and its tiers, rounding, with 0 staying 0', () => {
    const policy = compilePolicy({ version: 'p1', tiers: { biz: { accountPrefixes: ['biz-'], rules: { calls_per_hour: { threshold: 2000 } } } } }, defaultRules());
    const half = scalePolicy(policy, 0.5);
    expect(half.version).toBe('p1-x0.5');
    expect(half.rules.calls_per_hour?.threshold).toBe(100);
    expect(half.rules.calls_per_minute?.threshold).toBe(10);
    expect(half.rules.card_number_shared?.threshold).toBe(0);
    expect(half.tiers[0]?.rules.calls_per_hour?.threshold).toBe(1000);
    expect(scalePolicy(policy, 1.5).rules.messages_per_minute?.threshold).toBe(180);
    // The policy scaled from is untouched.
    expect(policy.rules.calls_per_hour?.threshold).toBe(200);
  });

  it('reads a label, and names what is wrong with a bad one', () => {
    expect(parseLabel({ accountId: 'a', persona: 'spammer', label: 'abusive', categories: ['BULK_MESSAGING'], firstAbusiveEventTime: T })).toMatchObject({ accountId: 'a', group: 'a', lookAlike: false });
    expect(parseLabel({ accountId: 'a', persona: 'x', label: 'bad', categories: [] })).toBe('field "label": expected "abusive" or "legitimate"');
    expect(parseLabel({ accountId: 'a', persona: 'x', label: 'abusive', categories: ['SPAM'] })).toContain('field "categories"');
    expect(parseLabel({ accountId: 'a', persona: 'x', label: 'legitimate', categories: ['BULK_MESSAGING'] })).toBe('field "categories": a legitimate account has none');
    expect(parseLabel({ persona: 'x' })).toBe('field "accountId": expected a non-empty string');
    expect(parseLabel([1])).toBe('expected a JSON object');
  });
});
