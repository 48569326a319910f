import type { Kafka } from 'kafkajs';

export interface StartPositions {
  /** Per partition, the offset each input topic resumes at (absent: kafkajs's own start, the latest). */
  offsets: Map<number, Map<string, string>>;
  /** Per partition, the input topics that have nothing to read right now (start at or past their end). */
  caughtUp: Map<number, Set<string>>;
}

/**
 * Where each input topic of each restored partition resumes: at the offset
 * the changelog says its state reflects; for a topic the changelog has no
 * offset of yet, at the group's committed offset, or at the beginning when
 * FROM_BEGINNING and nothing was committed. The consumer is moved there
 * explicitly, because after a failed batch kafkajs's own position may already
 * be past records whose processing was thrown away. Also says which topics
 * are caught up, so that event-time merging does not wait for them.
 */
export async function startPositions(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
  fromBeginning: boolean,
  fromChangelog: ReadonlyMap<number, ReadonlyMap<string, string>>,
): Promise<StartPositions> {
  const offsets = new Map<number, Map<string, string>>();
  const caughtUp = new Map<number, Set<string>>();
  for (const [p, o] of fromChangelog) {
    offsets.set(p, new Map(o));
    caughtUp.set(p, new Set());
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
    for (const topic of topics) {
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o]));
      const ofTopic = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const [p, o] of offsets) {
        if (!o.has(topic)) {
          const done = ofTopic.find((c) => c.partition === p)?.offset;
          const start = done !== undefined && BigInt(done) >= 0n ? done : fromBeginning ? ends.get(p)?.low : undefined;
          if (start !== undefined) o.set(topic, start);
        }
        const start = o.get(topic);
        const high = ends.get(p)?.high ?? '0';
        if (start === undefined || BigInt(start) >= BigInt(high)) caughtUp.get(p)?.add(topic);
      }
    }
  } finally {
    await admin.disconnect();
  }
  return { offsets, caughtUp };
}
