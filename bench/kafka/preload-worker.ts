import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { CompressionTypes, Kafka, logLevel, Partitioners, type Message, type PartitionMetadata } from 'kafkajs';
import { buildCodecs } from '../../src/events/codecs';
import { loadSchemaFiles } from '../../src/io/schema-files';
import { accountIdOf, eventAt } from '../traffic/day-events';
import { planDay } from '../traffic/day-plan';
import type { PreloadJob, PreloadShare } from './preload';

/**
 * One preload worker: the same (deterministic) day plan as every other
 * worker, but only the records of its own partitions, so each partition is
 * written by one producer, in event-time order. One request in flight: the
 * next batch is encoded while the last one is on the wire, and a partition's
 * records can never overtake each other.
 */
const BATCH = 8_000;
const job = workerData as PreloadJob;

async function main(): Promise<PreloadShare> {
  const codecs = buildCodecs(loadSchemaFiles(join(job.cwd, 'schemas')));
  const plan = planDay(job.accounts, job.seed);
  // The producer's own partitioner, asked once per account: the partition is the one the key would get anyway.
  const partitioner = Partitioners.DefaultPartitioner();
  const metadata: PartitionMetadata[] = Array.from({ length: job.partitions }, (_, p) => ({ partitionErrorCode: 0, partitionId: p, leader: 0, replicas: [0], isr: [0] }));
  const partitionOf = new Uint16Array(plan.accounts);
  for (let i = 0; i < plan.accounts; i++) partitionOf[i] = partitioner({ topic: '', partitionMetadata: metadata, message: { key: accountIdOf(i), value: null } });

  const producer = new Kafka({ clientId: `${job.prefix}-preload-${job.worker}`, brokers: [job.brokers], logLevel: logLevel.ERROR }).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const byTopic: Record<string, number> = {};
  let records = 0;
  let bytes = 0;
  let buffered = new Map<string, Message[]>();
  let pending = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  const flush = async (): Promise<void> => {
    await inFlight;
    const topicMessages = [...buffered].map(([topic, messages]) => ({ topic, messages }));
    buffered = new Map();
    pending = 0;
    inFlight = producer.sendBatch({ topicMessages, acks: 1, compression: CompressionTypes.None });
  };
  try {
    const n = Math.min(job.count, plan.order.length);
    for (let pos = 0; pos < n; pos++) {
      const partition = partitionOf[plan.rows.account[plan.order[pos] ?? 0] ?? 0] ?? 0;
      if (partition % job.workers !== job.worker) continue;
      const e = eventAt(plan, pos);
      const topic = job.topics[e.type];
      const value = codecs.events[e.type].encode(e, 'single-object');
      bytes += value.length;
      records++;
      byTopic[topic] = (byTopic[topic] ?? 0) + 1;
      const list = buffered.get(topic);
      const message: Message = { key: e.accountId, value, partition };
      if (list) list.push(message);
      else buffered.set(topic, [message]);
      if (++pending >= BATCH) await flush();
    }
    if (pending > 0) await flush();
    await inFlight;
    return { records, bytes, byTopic };
  } finally {
    await producer.disconnect();
  }
}

main().then(
  (share) => parentPort?.postMessage(share),
  (err: unknown) => {
    throw err;
  },
);
