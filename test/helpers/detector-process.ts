import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { RunConfig } from '../../src/config/run-config';

/** `abuse-detector run` as an operator starts it: the built CLI in a process of its own, configured by the environment. */
const CLI = join(__dirname, '../../dist/cli/main.js');

export interface DetectorProcess {
  child: ChildProcess;
  port: number;
  logs(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** The environment that gives `run` the topics and group of `config`. */
export function envFor(config: RunConfig, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KAFKA_BROKERS: config.brokers.join(','),
    KAFKA_GROUP_ID: config.groupId,
    TOPIC_CALLS: config.topics.input.call,
    TOPIC_MESSAGES: config.topics.input.message,
    TOPIC_REGISTRATIONS: config.topics.input.registration,
    TOPIC_REPORTS: config.topics.input.report,
    TOPIC_VIOLATIONS: config.topics.violations,
    TOPIC_DLQ: config.topics.deadLetter,
    TOPIC_CHANGELOG: config.topics.changelog,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

export function startDetector(config: RunConfig, extra: Record<string, string> = {}): DetectorProcess {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [CLI, 'run'], { env: envFor(config, { METRICS_PORT: String(port), ...extra }), stdio: ['ignore', 'ignore', 'pipe'] });
  let logs = '';
  child.stderr?.on('data', (c: Buffer) => (logs += c.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, port, logs: () => logs, exited };
}

export async function until(check: () => Promise<boolean>, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** /readyz answers 200: in the group, every owned partition restored. */
export async function isReady(p: DetectorProcess): Promise<boolean> {
  return (await fetch(`http://127.0.0.1:${p.port}/readyz`)).status === 200;
}
