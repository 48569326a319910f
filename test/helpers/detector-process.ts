import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
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

export async function startDetector(config: RunConfig, extra: Record<string, string> = {}): Promise<DetectorProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'run'], { env: envFor(config, { METRICS_PORT: String(port), ...extra }), stdio: ['ignore', 'ignore', 'pipe'] });
  let logs = '';
  child.stderr?.on('data', (c: Buffer) => (logs += c.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, port, logs: () => logs, exited };
}

/**
 * A port nothing listens on, below Linux's ephemeral range (32768 and up): a port picked there may meanwhile become
 * the local end of some outgoing connection (a Kafka client's), and `run` then stops at start-up on EADDRINUSE.
 */
async function freePort(): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, () => resolve(true));
    });
    if (free) {
      await new Promise((r) => server.close(r));
      return port;
    }
    if (attempt >= 50) throw new Error('no free port for the metrics server in 50 tries');
  }
}

/**
 * Polls `check` until it holds. On timeout the error carries the tail of each of `processes`' logs: a process that
 * never became ready says why only there (it runs in a child, its logs are not the test's output).
 */
export async function until(check: () => Promise<boolean>, timeoutMs: number, what = 'condition', processes: DetectorProcess[] = []): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const failure = (why: string): Error =>
    new Error([`${what} ${why}`, ...processes.map((p, i) => `--- detector ${i + 1} (exit code ${String(p.child.exitCode)}), last logs:\n${p.logs().slice(-4000)}`)].join('\n'));
  while (!(await check().catch(() => false))) {
    // A process that already exited will not get there: say so now, not at the deadline.
    if (processes.some((p) => p.child.exitCode !== null || p.child.signalCode !== null)) throw failure('not met: a detector exited');
    if (Date.now() > deadline) throw failure(`not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** /readyz answers 200: in the group, every owned partition restored. */
export async function isReady(p: DetectorProcess): Promise<boolean> {
  return (await fetch(`http://127.0.0.1:${p.port}/readyz`)).status === 200;
}
