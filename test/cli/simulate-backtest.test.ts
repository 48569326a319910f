import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BacktestReport } from '../../src/backtest/report-data';
import { CATEGORIES } from '../../src/events/types';

/** `simulate` then `backtest` with the built binary, on a small population over a working morning. */
const CLI = join(__dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'cli-backtest-'));
const events = join(dir, 'events.ndjson');
const labels = join(dir, 'labels.ndjson');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('abuse-detector simulate + backtest', () => {
  let report: BacktestReport;
  let stdout = '';

  beforeAll(() => {
    const sim = cli(['simulate', '--accounts', '600', '--hours', '8', '--start', '2026-01-05T12:00:00Z', '--seed', '3', '--output', events, '--labels', labels]);
    expect(sim.stderr).toContain('wrote 600 labels');
    expect(sim.code).toBe(0);
    const bt = cli(['backtest', '--input', events, '--labels', labels, '--json', join(dir, 'report.json'), '--sweep', '0.5,2']);
    expect(bt.code).toBe(0);
    stdout = bt.stdout;
    report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as BacktestReport;
  }, 120_000);

  it('finds every category with some recall', () => {
    expect(report.categories.map((c) => c.category)).toEqual([...CATEGORIES]);
    const missed = report.categories.filter((c) => c.expected === 0 || (c.recall ?? 0) === 0).map((c) => c.category);
    expect(missed).toEqual([]);
  });

  it('flags none of the heavy legitimate personas', () => {
    const heavy = report.personas.filter((p) => p.label === 'legitimate' && p.lookAlike);
    expect(heavy.length).toBeGreaterThanOrEqual(10);
    expect(heavy.filter((p) => p.flagged > 0).map((p) => `${p.persona}: ${JSON.stringify(p.rules)}`)).toEqual([]);
  });

  it('prints the tables and the sweep', () => {
    expect(stdout).toContain('Per category');
    expect(stdout).toContain('False positives by persona');
    expect(stdout).toMatch(/Threshold sweep[\s\S]*×0\.5\s+×1\s+×2/);
    expect(report.sweepFactors).toEqual([0.5, 1, 2]);
  });

  it('shows what a candidate policy changes, account by account', () => {
    const candidate = join(dir, 'candidate.yaml');
    writeFileSync(candidate, 'version: stricter-1\nrules:\n  calls_per_hour: { threshold: 20 }\n  caller_id_rotation: { mode: "off" }\n');
    const r = cli(['backtest', '--input', events, '--labels', labels, '--compare-policy', candidate, '--sweep', 'none', '--json', join(dir, 'compare.json')]);
    expect(r.code).toBe(0);
    const compared = (JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')) as BacktestReport).compare;
    expect(compared?.policyVersion).toBe('stricter-1');
    const changes = compared?.changes ?? [];
    // The spoofer is no longer flagged with the rule off; a limit of 20 calls an hour newly flags busy callers.
    expect(changes.some((c) => c.persona === 'caller_id_spoofer' && c.change === 'no longer flagged')).toBe(true);
    expect(changes.some((c) => c.change === 'newly flagged' && c.after.includes('EXCESSIVE_VOLUME/calls_per_hour'))).toBe(true);
    expect(r.stdout).toContain('Policy stricter-1 compared with builtin-defaults');
  });

  it('stops with exit 2 on bad usage or a bad labels file, naming what is wrong', () => {
    expect(cli(['backtest', '--input', events]).code).toBe(2);
    const bad = join(dir, 'bad-labels.ndjson');
    writeFileSync(bad, '{"accountId":"a","persona":"x","label":"maybe","categories":[]}\n');
    const r = cli(['backtest', '--input', events, '--labels', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:1: field "label"`);
    expect(cli(['backtest', '--input', join(dir, 'nope.ndjson'), '--labels', labels]).stderr).toContain('does not exist');
    expect(cli(['simulate', '--accounts', '10', '--output', join(dir, 'x.ndjson')]).stderr).toContain('cannot hold one of every persona');
    expect(cli(['simulate', '--subtlety', '2', '--output', join(dir, 'x.ndjson')]).stderr).toContain('--subtlety: "2" is not a number from 0 to 1');
    expect(cli(['simulate']).code).toBe(2);
  });
});
