import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { defaultRules } from '../../src/detectors';
import { PolicyError } from '../../src/errors';
import { compilePolicy } from '../../src/policy/compile';
import { highRiskPrefixOf, rulesFor, tierOf } from '../../src/policy/resolve';
import { callEvent, MINUTE, T0 } from '../helpers/events';
import { caught } from '../helpers/errors';

const TIERED = {
  rules: { calls_per_hour: { threshold: 5 } },
  tiers: {
    business: { accountPrefixes: ['biz-'], rules: { calls_per_hour: { threshold: 500 } } },
    'verified-business': { accounts: ['biz-bank'], accountPrefixes: ['vbiz-'], rules: { calls_per_hour: { mode: 'off' } } },
  },
  allow: { accounts: ['acct-ops'], destinations: ['+18005550100'] },
};

describe('policy tiers, allow-lists and prefixes', () => {
  const policy = compilePolicy(TIERED, defaultRules());

  it('assigns tiers by account list first, then by the longest prefix', () => {
    expect(tierOf(policy, 'biz-shop')?.name).toBe('business');
    expect(tierOf(policy, 'biz-bank')?.name).toBe('verified-business');
    expect(tierOf(policy, 'vbiz-1')?.name).toBe('verified-business');
    expect(tierOf(policy, 'acct-1')).toBeUndefined();
    expect(rulesFor(policy, 'biz-shop').calls_per_hour?.threshold).toBe(500);
    // A tier inherits the policy's own overrides for rules it does not set.
    expect(rulesFor(policy, 'biz-shop').calls_per_day?.threshold).toBe(1500);
    expect(rulesFor(policy, 'acct-1').calls_per_hour?.threshold).toBe(5);
  });

  it('applies the tier of each account in the pipeline, and never publishes allow-listed accounts', () => {
    const pipeline = buildPipeline(policy, DEFAULT_PIPELINE_SETTINGS);
    const calls = (acct: string) => Array.from({ length: 10 }, (_, i) => callEvent(acct, T0 + i * MINUTE));
    const flagged = ['acct-1', 'biz-shop', 'biz-bank', 'acct-ops'].flatMap((a) => calls(a)).flatMap((e) => pipeline.process(e, 0));
    expect(flagged.map((v) => v.accountId)).toEqual(['acct-1']);
  });

  it('matches the longest high-risk prefix and takes a list from the file', () => {
    expect(highRiskPrefixOf(policy, '+88213456789')?.label).toBe('international networks');
    expect(highRiskPrefixOf(policy, '+14155550123')).toBeUndefined();
    const custom = compilePolicy({ highRiskPrefixes: [{ prefix: '+4412', label: 'test range' }] }, defaultRules());
    expect(highRiskPrefixOf(custom, '+441234')?.label).toBe('test range');
    expect(highRiskPrefixOf(custom, '+88213456789')).toBeUndefined();
  });

  it('names what is wrong in tiers, allow-lists, prefixes, params and enforcement', () => {
    const err = caught(PolicyError, () =>
      compilePolicy(
        {
          tiers: { business: { rules: { calls_per_hour: { threshold: 'many' } } }, empty: { accounts: 'biz-1' } },
          allow: { destinations: ['18005550100'] },
          highRiskPrefixes: [{ prefix: '882' }],
          rules: { calls_per_hour: { params: { minEvents: 3 } } },
          enforcement: { cooldownMs: -1, ladder: [{ severity: 'low', action: 'ban' }] },
        },
        defaultRules(),
      ),
    );
    expect(err.problems).toEqual([
      'rules.calls_per_hour.params.minEvents: unknown parameter (this rule has none)',
      'tiers.business: give accounts, accountPrefixes or both, or no account is in the tier',
      'tiers.business.rules.calls_per_hour.threshold: expected a number of 0 or more',
      'tiers.empty.accounts: expected a list of non-empty strings',
      'allow.destinations: 1 entry is not E.164 numbers',
      'highRiskPrefixes[0].prefix: expected + and 1 to 14 digits, e.g. +882',
      'enforcement.cooldownMs: expected whole milliseconds from 0 to 2678400000 (31 days)',
      'enforcement.ladder[0]: expected { severity: low|medium|high|critical, action: warn|throttle|suspend|terminate }',
    ]);
  });
});
