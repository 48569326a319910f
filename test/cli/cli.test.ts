import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Violation } from '../../src/events/types';
import { callEvent, HOUR, messageBurst, MINUTE, T0 } from '../helpers/events';

/** The built `abuse-detector` binary, as a user runs it (no broker needed). */
const CLI = join(__dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'cli-'));

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ndjson(name: string, lines: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

describe('abuse-detector replay', () => {
  it('flags 3,000 messages in an hour with an EXCESSIVE_VOLUME violation carrying every contract field', () => {
    const input = ndjson('spam.ndjson', messageBurst('acct-spammer', 3000, T0, HOUR));
    const r = cli(['replay', '--input', input]);
    expect(r.code).toBe(0);
    const violations = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Violation);
    const hourly = violations.find((v) => v.rule === 'messages_per_hour');
    expect(hourly).toBeDefined();
    expect(Object.keys(hourly ?? {}).sort()).toEqual(
      ['accountId', 'action', 'category', 'detectedAt', 'evidence', 'metrics', 'policyVersion', 'rule', 'severity', 'thresholds', 'violationId', 'windowEnd', 'windowStart'].sort(),
    );
    expect(hourly).toMatchObject({ accountId: 'acct-spammer', category: 'EXCESSIVE_VOLUME', metrics: { messages: 1001 } });
    // Only the spammer; a burst this regular is also (rightly) caught by other categories' rules.
    expect(violations.every((v) => v.accountId === 'acct-spammer')).toBe(true);
    expect(r.stderr).toContain('replayed 3000 events');
  });

  it('flags nothing for five ordinary calls', () => {
    const input = ndjson('calls.ndjson', Array.from({ length: 5 }, (_, i) => callEvent('acct-ordinary', T0 + i * 7 * MINUTE)));
    const r = cli(['replay', '--input', input]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('reports a bad line with its number, skips it, and exits 1', () => {
    const input = ndjson('bad.ndjson', [callEvent('a', T0), '{"type":"call"}', callEvent('a', T0 + 1)]);
    const r = cli(['replay', '--input', input, '--output', join(dir, 'out.ndjson')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${input}:2: field "eventId" is missing`);
    expect(r.stderr).toContain('replayed 2 events');
  });

  it('applies a policy file and stops on a bad one, naming the key', () => {
    const input = ndjson('few.ndjson', messageBurst('acct-x', 11, T0, MINUTE));
    const good = join(dir, 'policy.yaml');
    writeFileSync(good, 'version: strict-1\nrules:\n  messages_per_minute:\n    threshold: 10\n');
    const r = cli(['replay', '--input', input, '--policy', good]);
    expect((JSON.parse(r.stdout) as Violation).policyVersion).toBe('strict-1');
    const bad = join(dir, 'bad-policy.yaml');
    writeFileSync(bad, 'rules:\n  messages_per_minute:\n    treshold: 10\n');
    const b = cli(['replay', '--input', input, '--policy', bad]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('rules.messages_per_minute.treshold: unknown key');
  });
});

describe('abuse-detector start-up checks', () => {
  it('stops `run` on a bad setting with a message naming it, before connecting', () => {
    const r = cli(['run'], { KAFKA_BROKERS: 'nowhere', STATE_MAX_KEYS: 'lots' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('KAFKA_BROKERS: "nowhere" is not host:port');
    expect(r.stderr).toContain('STATE_MAX_KEYS: "lots" is not a whole number');
  });

  it('explains usage errors', () => {
    expect(cli(['frobnicate']).stderr).toContain('unknown command "frobnicate"');
    expect(cli(['replay']).code).toBe(2);
    expect(cli(['--help']).stdout).toContain('usage: abuse-detector');
  });
});
