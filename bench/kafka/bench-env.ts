import { randomBytes } from 'node:crypto';
import { EVENT_TYPES, type EventType } from '../../src/events/types';

/**
 * Each Kafka bench works on its own topics and consumer groups, named
 * `bench-<run>-…`, on the shared broker, and deletes them when it ends. The
 * detector is driven only through its CLI and environment (as deployed), so
 * the harness keeps working while `run` changes underneath it.
 */
export const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

export interface BenchTopics {
  prefix: string;
  input: Record<EventType, string>;
  violations: string;
  deadLetter: string;
  /** The detector's state changelog, where `run` has one (exactly-once); harmless where it does not. */
  changelog: string;
}

export function benchTopics(name: string): BenchTopics {
  const prefix = `bench-${name}-${randomBytes(3).toString('hex')}`;
  return {
    prefix,
    input: { call: `${prefix}.calls`, message: `${prefix}.messages`, registration: `${prefix}.registrations`, report: `${prefix}.reports` },
    violations: `${prefix}.violations`,
    deadLetter: `${prefix}.dlq`,
    changelog: `${prefix}.state`,
  };
}

export const inputTopicList = (t: BenchTopics): string[] => EVENT_TYPES.map((type) => t.input[type]);

/** The environment `abuse-detector run` and `topics` read, pointed at the bench topics. */
export function detectorEnv(t: BenchTopics, groupId: string, partitions: number, metricsPort: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return {
    ...env,
    KAFKA_BROKERS: BROKERS,
    KAFKA_CLIENT_ID: groupId,
    KAFKA_GROUP_ID: groupId,
    TOPIC_CALLS: t.input.call,
    TOPIC_MESSAGES: t.input.message,
    TOPIC_REGISTRATIONS: t.input.registration,
    TOPIC_REPORTS: t.input.report,
    TOPIC_VIOLATIONS: t.violations,
    TOPIC_DLQ: t.deadLetter,
    TOPIC_CHANGELOG: t.changelog,
    TOPIC_PARTITIONS: String(partitions),
    FROM_BEGINNING: 'true',
    METRICS_PORT: String(metricsPort),
    POLICY_RELOAD_MS: '0',
    LOG_LEVEL: 'warn',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
}
