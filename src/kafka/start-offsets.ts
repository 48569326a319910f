import type { Kafka } from 'kafkajs';

/**
 * Where each input topic of each restored partition resumes: at the offset
 * the changelog says its state reflects; for a topic the changelog has no
 * offset of yet, at the group's committed offset, or at the beginning when
 * FROM_BEGINNING and nothing was committed. The consumer is moved there
 * explicitly, because after a failed batch kafkajs's own position may already
 * be past records whose processing was thrown away.
 */
export async function startOffsets(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
  fromBeginning: boolean,
  fromChangelog: ReadonlyMap<number, ReadonlyMap<string, string>>,
): Promise<Map<number, Map<string, string>>> {
  const out = new Map<number, Map<string, string>>();
  for (const [p, offsets] of fromChangelog) out.set(p, new Map(offsets));
  const missing = [...fromChangelog].some(([, offsets]) => topics.some((t) => !offsets.has(t)));
  if (!missing) return out;

  const admin = kafka.admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
    for (const topic of topics) {
      const low = fromBeginning ? new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.low])) : undefined;
      const ofTopic = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const [p, offsets] of out) {
        if (offsets.has(topic)) continue;
        const done = ofTopic.find((c) => c.partition === p)?.offset;
        const start = done !== undefined && BigInt(done) >= 0n ? done : low?.get(p);
        if (start !== undefined) offsets.set(topic, start);
      }
    }
  } finally {
    await admin.disconnect();
  }
  return out;
}
