import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { runConfigFromEnv } from '../config/run-config';
import { createKafka } from '../kafka/client';
import { createLogger } from '../telemetry/logger';
import type { Violation } from '../events/types';
import { codecsFor } from './services';

/**
 * `watch`: prints violations as they arrive on the enforcement topic
 * (read_committed), as a subscriber would see them. For people and the demo.
 */
export interface WatchOptions {
  fromBeginning: boolean;
  json: boolean;
  /** Exit after this long without a new violation (0: never). */
  idleExitMs: number;
  /** Touched once the consumer has its partitions: a script can start producing after it. */
  readyFile?: string;
}

function describe(v: Violation): string {
  const observed = Object.entries(v.metrics).map(([k, n]) => `${k}=${n}${v.thresholds[k] !== undefined ? ` (limit ${v.thresholds[k]})` : ''}`).join(' ');
  return `${new Date(v.detectedAt).toISOString()}  ${v.category.padEnd(18)} ${v.rule.padEnd(20)} ${v.accountId}  ${v.severity}/${v.action}  ${observed}`;
}

export async function watch(env: Readonly<Record<string, string | undefined>>, opts: WatchOptions, out: NodeJS.WritableStream): Promise<number> {
  const config = runConfigFromEnv(env);
  const logger = createLogger(config.logLevel);
  const codecs = await codecsFor(config);
  const framing = config.framing[config.topics.violations] ?? 'single-object';
  const consumer = createKafka(config.brokers, `${config.clientId}-watch`, logger).consumer({ groupId: `abuse-detector-watch-${randomUUID()}`, readUncommitted: false });
  const counts = new Map<string, number>();
  let lastSeen = Date.now();

  await consumer.connect();
  await consumer.subscribe({ topic: config.topics.violations, fromBeginning: opts.fromBeginning });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: ({ message }) => {
      lastSeen = Date.now();
      if (message.value === null) return Promise.resolve();
      const v = codecs.violation.decode(framing, message.value) as Violation;
      counts.set(v.category, (counts.get(v.category) ?? 0) + 1);
      out.write(opts.json ? `${JSON.stringify(v)}\n` : `${describe(v)}\n`);
      return Promise.resolve();
    },
  });
  await joined;
  if (opts.readyFile) writeFileSync(opts.readyFile, 'ready\n');
  lastSeen = Date.now();

  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    if (opts.idleExitMs > 0) {
      const timer = setInterval(() => {
        if (Date.now() - lastSeen >= opts.idleExitMs) {
          clearInterval(timer);
          resolve();
        }
      }, 250);
    }
  });
  await consumer.disconnect();
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  process.stderr.write(`\n${total} violation(s)${total > 0 ? `: ${[...counts].map(([c, n]) => `${c} ${n}`).join(', ')}` : ''}\n`);
  return 0;
}
