import type { Admin, Kafka } from 'kafkajs';
import type { Topics } from '../config/topics';
import { GroupActiveError, TopicMismatchError } from '../errors';
import { awaitLeaders, isNotYet } from './await-leaders';

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
    changelogSpec(topics.changelog, partitions),
  ];
}

/**
 * State: the latest record per key is all a restore needs. Hourly segments
 * let compaction reach recent writes (it never touches the active segment);
 * deletions are kept a day so a restore in progress still sees them.
 */
function changelogSpec(topic: string, partitions: number): TopicSpec {
  return {
    topic,
    numPartitions: partitions,
    configEntries: [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'segment.ms', value: String(3600 * 1000) },
      { name: 'delete.retention.ms', value: String(24 * 3600 * 1000) },
      // One key's state is small, but allow for a large one rather than fail the partition on it.
      { name: 'max.message.bytes', value: String(8 * 1024 * 1024) },
    ],
  };
}

/** How long a new topic's partitions may take to get leaders: 60 asks, 500 ms apart. */
const LEADER_WAIT = { attempts: 60, delayMs: 500 };

/**
 * Creates `specs` and returns once every partition has a leader. kafkajs's own wait stops at a broker that has not
 * yet heard of a new partition (await-leaders.ts); the topics exist by then, so only then does the wait go on here.
 */
async function createAndAwaitLeaders(admin: Admin, specs: readonly TopicSpec[]): Promise<void> {
  try {
    await admin.createTopics({ waitForLeaders: true, topics: specs.map((s) => ({ ...s, replicationFactor: -1 })) });
    return;
  } catch (error) {
    if (!isNotYet(error)) throw error;
  }
  const names = specs.map((s) => s.topic);
  await awaitLeaders(names, () => admin.fetchTopicMetadata({ topics: names }), LEADER_WAIT);
}

/** Creates missing topics; existing ones are left as they are. Returns the names it created. */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) await createAndAwaitLeaders(admin, missing);
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}

/**
 * State follows its partition: changelog partition p holds input partition
 * p's state, so the changelog needs at least as many partitions as the input
 * topics. A missing changelog is created (as Kafka Streams creates its
 * internal topics); one too narrow stops start-up before joining the group.
 */
export async function ensureChangelog(kafka: Kafka, topics: Topics): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const inputs = Object.values(topics.input).filter((t) => existing.has(t));
    const { topics: meta } = await admin.fetchTopicMetadata({ topics: inputs });
    const widest = Math.max(1, ...meta.map((m) => m.partitions.length));
    if (!existing.has(topics.changelog)) {
      await createAndAwaitLeaders(admin, [changelogSpec(topics.changelog, widest)]);
      return;
    }
    const [changelog] = (await admin.fetchTopicMetadata({ topics: [topics.changelog] })).topics;
    const count = changelog?.partitions.length ?? 0;
    if (count < widest) throw new TopicMismatchError(`changelog topic ${topics.changelog} (TOPIC_CHANGELOG) has ${count} partitions, fewer than the ${widest} of the input topics`);
  } finally {
    await admin.disconnect();
  }
}


/**
 * Forgets a deployment's state: its consumer group (and with it the committed
 * offsets) and its changelog topic. Refuses while any process of the group is
 * running. Returns what it deleted.
 */
export async function resetState(kafka: Kafka, groupId: string, topics: Topics): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deleted: string[] = [];
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups[0];
    if (group && group.members.length > 0) throw new GroupActiveError(groupId, group.members.length);
    if (group && group.state !== 'Dead') {
      await admin.deleteGroups([groupId]);
      deleted.push(`consumer group ${groupId}`);
    }
    if ((await admin.listTopics()).includes(topics.changelog)) {
      await admin.deleteTopics({ topics: [topics.changelog] });
      deleted.push(`topic ${topics.changelog}`);
    }
    return deleted;
  } finally {
    await admin.disconnect();
  }
}
