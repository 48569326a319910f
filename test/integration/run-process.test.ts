import type { Violation } from '../../src/events/types';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { envFor, isReady, startDetector, until } from '../helpers/detector-process';
import { callEvent, T0 } from '../helpers/events';
import { createTopicsFor, isolatedConfig, produce, readAll, testKafka, waitForCatchUp } from '../helpers/kafka';
import { projectCodecs } from '../helpers/schemas';

/**
 * `abuse-detector run` as an operator starts it: a real process configured by
 * environment variables, ready on /readyz, draining on SIGTERM with exit 0.
 */
jest.setTimeout(90_000);

it('runs the service from the environment, reports readiness and metrics, and drains on SIGTERM', async () => {
  const config = isolatedConfig();
  await createTopicsFor(config);
  const detector = await startDetector(config);
  const { port } = detector;
  try {
    await until(() => isReady(detector), 60_000, 'ready', [detector]);

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

    // Its state cannot be reset under it.
    const refused = await cli(['reset-state'], envFor(config));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`consumer group ${config.groupId} has 1 running member(s)`);
  } finally {
    detector.child.kill('SIGTERM');
  }
  expect(await detector.exited).toBe(0);
  expect(detector.logs()).toContain('"msg":"stopped"');
  expect(detector.logs()).not.toContain('acct-robo');

  // Stopped, it can: the group and the changelog go.
  const reset = await cli(['reset-state'], envFor(config));
  expect(reset.stdout).toBe(`deleted consumer group ${config.groupId} and topic ${config.topics.changelog}\n`);
  const admin = testKafka().admin();
  await admin.connect();
  try {
    expect(await admin.listTopics()).not.toContain(config.topics.changelog);
  } finally {
    await admin.disconnect();
  }
});

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(__dirname, '../../dist/cli/main.js'), ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number | null; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
