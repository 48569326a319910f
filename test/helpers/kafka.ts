import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type KafkaMessage, type Message } from 'kafkajs';
import { runConfigFromEnv, type RunConfig } from '../../src/config/run-config';
import { readToEnd } from '../../src/kafka/read-to-end';
import { detectorTopics, ensureTopics } from '../../src/kafka/topic-admin';

/** The broker `make kafka-up` starts; tests never fake it. */
export const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

/** A client of the test broker, or of `brokers` (a test that runs a broker of its own). */
export function testKafka(brokers = BROKERS): Kafka {
  return new Kafka({ clientId: 'abuse-detector-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

/** A run configuration with topics and a group of its own, so tests never see each other's records. */
export function isolatedConfig(extra: Record<string, string> = {}): RunConfig {
  const run = randomUUID().slice(0, 8);
  return runConfigFromEnv({
    KAFKA_BROKERS: BROKERS,
    KAFKA_GROUP_ID: `test-${run}`,
    TOPIC_CALLS: `t-${run}.calls`,
    TOPIC_MESSAGES: `t-${run}.messages`,
    TOPIC_REGISTRATIONS: `t-${run}.registrations`,
    TOPIC_REPORTS: `t-${run}.reports`,
    TOPIC_VIOLATIONS: `t-${run}.violations`,
    TOPIC_DLQ: `t-${run}.dlq`,
    TOPIC_PARTITIONS: '3',
    METRICS_PORT: '0',
    ...extra,
  });
}

export async function createTopicsFor(config: RunConfig): Promise<void> {
  await ensureTopics(testKafka(config.brokers.join(',')), detectorTopics(config.topics, config.topicPartitions));
}

export async function produce(topic: string, messages: Message[], brokers = BROKERS): Promise<void> {
  const producer = testKafka(brokers).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, messages, acks: -1 });
  } finally {
    await producer.disconnect();
  }
}

/**
 * Reads `topic` from the beginning (read_committed) until `done` says the
 * records so far are enough, or `timeoutMs` passes; returns what it read.
 */
export async function consumeUntil(topic: string, done: (records: KafkaMessage[]) => boolean, timeoutMs = 30_000): Promise<KafkaMessage[]> {
  const consumer = testKafka().consumer({ groupId: `reader-${randomUUID()}`, readUncommitted: false });
  const records: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: ({ message }) => {
          records.push(message);
          if (done(records)) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** Waits until `groupId` has committed every record now in `topics`: the detector has caught up. */
export async function waitForCatchUp(groupId: string, topics: readonly string[], timeoutMs = 30_000, brokers = BROKERS): Promise<void> {
  const admin = testKafka(brokers).admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    const ends = new Map<string, string>();
    for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${p.partition}`, p.high);
    for (;;) {
      // A broker that just started (or restarted) may not have loaded the group's coordinator yet: ask again.
      const committed = await admin.fetchOffsets({ groupId, topics: [...topics] }).catch(() => []);
      if (committed.length === 0) {
        if (Date.now() > deadline) throw new Error(`group ${groupId}: no committed offsets within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      const behind = committed.flatMap(({ topic, partitions }) =>
        partitions.filter((p) => {
          const end = ends.get(`${topic}/${p.partition}`) ?? '0';
          return end !== '0' && BigInt(p.offset) < BigInt(end);
        }),
      );
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new Error(`group ${groupId} did not catch up within ${timeoutMs} ms (${behind.length} partitions behind)`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Everything on `topic` right now, read_committed (transaction markers and aborted records skipped). */
export async function readAll(topic: string, brokers = BROKERS): Promise<KafkaMessage[]> {
  const records: KafkaMessage[] = [];
  await readToEnd(testKafka(brokers), topic, { groupPrefix: 'reader', onBatch: (_p, messages) => records.push(...messages), stallTimeoutMs: 30_000 });
  return records;
}
