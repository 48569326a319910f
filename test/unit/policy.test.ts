import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicyFile } from '../../src/config/policy-file';
import { defaultRules } from '../../src/detectors';
import { PolicyError } from '../../src/errors';
import { compilePolicy } from '../../src/policy/compile';
import { caught } from '../helpers/errors';

const problems = (raw: unknown): readonly string[] => caught(PolicyError, () => compilePolicy(raw, defaultRules())).problems;

describe('policy', () => {
  it('defaults every rule and overrides only what the file sets', () => {
    const p = compilePolicy({ version: '2026-11.1', rules: { calls_per_hour: { threshold: 50 } } }, defaultRules());
    expect(p.version).toBe('2026-11.1');
    expect(p.rules.calls_per_hour).toMatchObject({ threshold: 50, windowMs: 3_600_000, mode: 'enforce' });
    expect(p.rules.messages_per_hour?.threshold).toBe(1000);
    expect(Object.isFrozen(p.rules)).toBe(true);
  });

  it('names every bad key, all at once', () => {
    expect(problems({ versoin: 'x', rules: { calls_per_hour: { threshold: -1, windowMs: 10, mode: 'loud', severity: 'huge', acton: 'warn' }, no_such_rule: {} } })).toEqual([
      'versoin: unknown key (top-level keys are version, rules, tiers, allow, highRiskPrefixes, enforcement)',
      'rules.calls_per_hour.acton: unknown key (keys here are mode, threshold, windowMs, severity, action, params)',
      'rules.calls_per_hour.mode: expected one of enforce, shadow, off',
      'rules.calls_per_hour.threshold: expected a number of 0 or more',
      'rules.calls_per_hour.windowMs: expected whole milliseconds between 1000 and 2678400000 (31 days)',
      'rules.calls_per_hour.severity: expected one of low, medium, high, critical',
      expect.stringMatching(/^rules\.no_such_rule: unknown rule \(known: .*calls_per_hour/),
    ]);
  });

  it('loads YAML and JSON files, and names the file when it cannot be parsed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    writeFileSync(join(dir, 'p.yaml'), 'version: y1\nrules:\n  messages_per_minute:\n    threshold: 60\n');
    writeFileSync(join(dir, 'p.json'), JSON.stringify({ version: 'j1', rules: { calls_per_day: { mode: 'shadow' } } }));
    writeFileSync(join(dir, 'bad.yaml'), 'rules: [unclosed');
    expect(loadPolicyFile(join(dir, 'p.yaml'), defaultRules()).rules.messages_per_minute?.threshold).toBe(60);
    expect(loadPolicyFile(join(dir, 'p.json'), defaultRules()).rules.calls_per_day?.mode).toBe('shadow');
    expect(() => loadPolicyFile(join(dir, 'bad.yaml'), defaultRules())).toThrow(/bad\.yaml.*not valid YAML or JSON/s);
    expect(() => loadPolicyFile(join(dir, 'missing.yaml'), defaultRules())).toThrow(/missing\.yaml.*cannot be read/s);
  });
});
