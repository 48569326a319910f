import type { Message } from 'kafkajs';
import type { RunConfig } from '../../src/config/run-config';
import type { Violation } from '../../src/events/types';
import { demoTraffic } from '../../src/simulate/demo-traffic';
import type { DetectorProcess } from './detector-process';
import { T0 } from './events';
import { readAll } from './kafka';
import { projectCodecs } from './schemas';

/**
 * What the exactly-once tests stream and compare: 400 accounts for 5
 * minutes (spammers, robocallers, heavy but legitimate texters among
 * ordinary ones), the same records for every run.
 */
const codecs = projectCodecs();
const { events } = demoTraffic({ accounts: 400, minutes: 5, startTime: T0, seed: 20261125 });

export interface Chunk {
  topic: (c: RunConfig) => string;
  messages: Message[];
}

/** The stream in event-time order, cut into produce requests of up to `size` events per topic. */
export function chunks(size: number): Chunk[] {
  const out: Chunk[] = [];
  for (let i = 0; i < events.length; i += size) {
    const slice = events.slice(i, i + size);
    for (const type of ['call', 'message', 'registration', 'report'] as const) {
      const of = slice.filter((e) => e.type === type);
      if (of.length > 0) out.push({ topic: (c) => c.topics.input[type], messages: of.map((e) => ({ key: e.accountId, value: codecs.events[e.type].encode(e, 'single-object') })) });
    }
  }
  return out;
}

/**
 * A violation's identity and verdict. Its detectedAt and evidence are left
 * out on purpose: a finding that an event-time timer fires (a call still up)
 * fires when the partition's watermark passes, and the watermark moves with
 * records of every topic of the partition, whose interleaving Kafka does not
 * fix between runs. Which violation, for whom, for which window and with
 * which action is fixed.
 */
export type Verdict = Pick<Violation, 'violationId' | 'accountId' | 'category' | 'rule' | 'windowStart' | 'action' | 'severity' | 'policyVersion'>;

export function verdictOf({ violationId, accountId, category, rule, windowStart, action, severity, policyVersion }: Violation): Verdict {
  return { violationId, accountId, category, rule, windowStart, action, severity, policyVersion };
}

/** Sorted by id, duplicates kept. */
export function byId(verdicts: Verdict[]): Verdict[] {
  return verdicts.sort((a, b) => a.violationId.localeCompare(b.violationId));
}

/** Every violation on the enforcement topic (read_committed), sorted by id; duplicates kept. */
export async function verdictsOf(config: RunConfig): Promise<Verdict[]> {
  const records = await readAll(config.topics.violations, config.brokers.join(','));
  return byId(records.map((m) => verdictOf(codecs.violation.decode('single-object', m.value as Buffer) as Violation)));
}

export function duplicateIds(verdicts: readonly Verdict[]): string[] {
  const ids = verdicts.map((v) => v.violationId);
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}

/** Transactions the process has committed so far (its /metrics). */
export async function commits(p: DetectorProcess): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${p.port}/metrics`)).text();
  return Number(/abuse_transactions_total\{result="commit"\} (\d+)/.exec(text)?.[1] ?? 0);
}

export async function stop(p: DetectorProcess): Promise<number | null> {
  p.child.kill('SIGTERM');
  return p.exited;
}
