import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

export interface ReadToEndOptions {
  /** Partitions to read; all of the topic's by default. */
  partitions?: readonly number[];
  /** Prefix of the throwaway group the read runs in. */
  groupPrefix: string;
  /** Each partition's records in offset order; may throw to stop the read with that error. */
  onBatch: (partition: number, messages: KafkaMessage[]) => void;
  /** Called every few tens of milliseconds while reading (e.g. to heartbeat another consumer). */
  keepAlive?: () => Promise<void>;
  /** Give up after this long without progress. */
  stallTimeoutMs?: number;
}

/**
 * Reads partitions of `topic` from their start up to the end offsets they
 * have when the read begins, read_committed. Returns when every partition
 * got there.
 *
 * The end is reached by offset, not by counting records: transaction markers
 * take offsets but are never delivered, and a batch of nothing but markers
 * (or aborted records) never reaches eachBatch at all, though kafkajs's
 * END_BATCH_PROCESS event still reports its offset.
 *
 * kafkajs cannot assign partitions to a consumer by hand, so the read runs in
 * a throwaway group (it never commits) and pauses the partitions it was not
 * asked for as soon as they show up.
 */
export async function readToEnd(kafka: Kafka, topic: string, options: ReadToEndOptions): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const wanted = options.partitions ? new Set(options.partitions) : undefined;
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.filter((o) => (!wanted || wanted.has(o.partition)) && BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return;

  const position = new Map<number, bigint>();
  const behind = (p: number): boolean => (position.get(p) ?? -1n) < (ends.get(p) ?? 0n);
  const remaining = (): number[] => [...ends.keys()].filter(behind);
  let lastProgress = Date.now();
  let failed: Error | undefined;
  const advance = (partition: number, lastOffset: string): void => {
    position.set(partition, BigInt(lastOffset) + 1n);
    lastProgress = Date.now();
  };

  const consumer = kafka.consumer({ groupId: `${options.groupPrefix}-${randomUUID()}`, readUncommitted: false, maxBytesPerPartition: 8 * 1024 * 1024, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic === topic && ends.has(payload.partition)) advance(payload.partition, payload.lastOffset);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      failed = payload.error;
    });
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (!ends.has(batch.partition) || !behind(batch.partition)) {
          payload.pause();
          return;
        }
        try {
          options.onBatch(batch.partition, batch.messages);
        } catch (err) {
          // The caller's error stops the whole read; kafkajs must not retry the batch.
          failed = err instanceof Error ? err : new Error(String(err));
          payload.pause();
          return;
        }
        advance(batch.partition, batch.lastOffset());
        await Promise.resolve();
      },
    });
    const stallMs = options.stallTimeoutMs ?? 120_000;
    while (remaining().length > 0) {
      if (failed) throw failed;
      if (Date.now() - lastProgress > stallMs) throw new Error(`reading ${topic} partitions ${remaining().join(',')} made no progress for ${stallMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
      await options.keepAlive?.();
    }
    if (failed) throw failed;
  } finally {
    await consumer.disconnect();
  }
}
