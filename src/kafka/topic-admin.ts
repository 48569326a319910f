import type { Kafka } from 'kafkajs';
import type { Topics } from '../config/topics';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  configEntries?: { name: string; value: string }[];
}

/**
 * The topics the detector reads and writes. Input topics share one partition
 * count on purpose: they are keyed by accountId, so partition p of every
 * topic holds the same accounts (co-partitioning), and one process owns them all.
 */
export function detectorTopics(topics: Topics, partitions: number): TopicSpec[] {
  return [
    ...Object.values(topics.input).map((topic) => ({ topic, numPartitions: partitions })),
    { topic: topics.violations, numPartitions: partitions },
    // A week of dead letters: long enough for someone to look at them.
    { topic: topics.deadLetter, numPartitions: partitions, configEntries: [{ name: 'retention.ms', value: String(7 * 24 * 3600 * 1000) }] },
  ];
}

/** Creates missing topics; existing ones are left as they are. Returns the names it created. */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) {
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((s) => ({ ...s, replicationFactor: -1 })) });
    }
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}
