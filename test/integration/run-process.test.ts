import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Violation } from '../../src/events/types';
import { callEvent, T0 } from '../helpers/events';
import { createTopicsFor, isolatedConfig, produce, readAll, waitForCatchUp } from '../helpers/kafka';
import { projectCodecs } from '../helpers/schemas';

/**
 * `abuse-detector run` as an operator starts it: a real process configured by
 * environment variables, ready on /readyz, draining on SIGTERM with exit 0.
 */
jest.setTimeout(90_000);

const CLI = join(__dirname, '../../dist/cli/main.js');

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('runs the service from the environment, reports readiness and metrics, and drains on SIGTERM', async () => {
  const config = isolatedConfig();
  await createTopicsFor(config);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const env = {
    ...process.env,
    KAFKA_BROKERS: config.brokers.join(','),
    KAFKA_GROUP_ID: config.groupId,
    TOPIC_CALLS: config.topics.input.call,
    TOPIC_MESSAGES: config.topics.input.message,
    TOPIC_REGISTRATIONS: config.topics.input.registration,
    TOPIC_REPORTS: config.topics.input.report,
    TOPIC_VIOLATIONS: config.topics.violations,
    TOPIC_DLQ: config.topics.deadLetter,
    METRICS_PORT: String(port),
    LOG_LEVEL: 'info',
  };
  const child = spawn(process.execPath, [CLI, 'run'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stderr.on('data', (c: Buffer) => (logs += c.toString()));
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 30_000);

    const codecs = projectCodecs();
    // 25 calls in 25 s to numbers far apart: a pure per-minute volume case (not a flood at one person, not a range walk).
    const calls = Array.from({ length: 25 }, (_, i) => callEvent('acct-robo', T0 + i * 1000, { to: `+1212555${String(1000 + i * 337).padStart(4, '0')}` }));
    await produce(config.topics.input.call, calls.map((e) => ({ key: e.accountId, value: codecs.events.call.encode(e, 'single-object') })));
    await waitForCatchUp(config.groupId, Object.values(config.topics.input));

    const violations = (await readAll(config.topics.violations)).map((m) => codecs.violation.decode('single-object', m.value as Buffer) as Violation);
    expect(violations.map((v) => v.rule)).toEqual(['calls_per_minute']);

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/abuse_events_total\{type="call"\} 25/);
    expect(metrics).toMatch(/abuse_findings_total\{category="EXCESSIVE_VOLUME",rule="calls_per_minute",outcome="publish"\} 1/);
    // Account ids stay out of metrics and logs.
    expect(metrics).not.toContain('acct-robo');
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(0);
  expect(logs).toContain('"msg":"stopped"');
  expect(logs).not.toContain('acct-robo');
});
