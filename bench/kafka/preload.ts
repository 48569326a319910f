import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventType } from '../../src/events/types';
import { BROKERS, type BenchTopics } from './bench-env';

/**
 * Loads the first `count` events of a day plan into the bench's input topics
 * as contract Avro (single-object framing, our own codecs), keyed by
 * accountId, each partition in event-time order. Fast rather than paced:
 * worker threads, each encoding and producing the records of its own
 * partitions in large batches, uncompressed (the detector would pay to
 * decompress). Each record is encoded once.
 */
export interface PreloadJob {
  cwd: string;
  brokers: string;
  prefix: string;
  topics: Record<EventType, string>;
  partitions: number;
  accounts: number;
  seed: number;
  count: number;
  worker: number;
  workers: number;
}

export interface PreloadShare {
  records: number;
  bytes: number;
  byTopic: Record<string, number>;
}

export interface PreloadResult extends PreloadShare {
  seconds: number;
  workers: number;
}

export async function preload(accounts: number, seed: number, count: number, topics: BenchTopics, partitions: number, workers: number): Promise<PreloadResult> {
  const started = Date.now();
  const shares = await Promise.all(
    Array.from({ length: workers }, (_, worker) => {
      const job: PreloadJob = { cwd: process.cwd(), brokers: BROKERS, prefix: topics.prefix, topics: topics.input, partitions, accounts, seed, count, worker, workers };
      return new Promise<PreloadShare>((resolve, reject) => {
        const w = new Worker(join(__dirname, 'preload-worker.js'), { workerData: job });
        w.once('message', (share: PreloadShare) => resolve(share));
        w.once('error', reject);
        w.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`preload worker ${worker} exited with ${code}`))));
      });
    }),
  );
  const byTopic: Record<string, number> = {};
  for (const s of shares) for (const [t, n] of Object.entries(s.byTopic)) byTopic[t] = (byTopic[t] ?? 0) + n;
  return {
    records: shares.reduce((a, s) => a + s.records, 0),
    bytes: shares.reduce((a, s) => a + s.bytes, 0),
    byTopic,
    seconds: (Date.now() - started) / 1000,
    workers,
  };
}
