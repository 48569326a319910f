import { createHash } from 'node:crypto';
import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../src/app/build-pipeline';
import { defaultRules } from '../src/detectors';
import { changelogMessages } from '../src/kafka/changelog-records';
import { compilePolicy } from '../src/policy/compile';
import { TrafficMaker } from './kafka/paced-producer';

/**
 * What a change to the changelog must keep or change on purpose: the
 * latency bench's traffic (an event every 40 ms of event time, a fifth of
 * them probe bursts) through a pipeline that tracks changes, committed every
 * 3,000 events as `run` would, and a digest of every record written (key and
 * value bytes, sorted). It prints the number of records, the digest and the
 * value bytes. A change to a codec or to the value format changes the digest
 * and, usually, the bytes; a change to the hot path must change neither, and a
 * change to which keys are written changes the number of records.
 * Usage: node dist-bench/bench/changelog-digest.js [events]
 */
const events = Number(process.argv[2] ?? 200_000);
const COMMIT_EVERY = 3_000;
const EVENT_EVERY_MS = 40;

const pipeline = buildPipeline(compilePolicy(undefined, defaultRules()), { ...DEFAULT_PIPELINE_SETTINGS, maxKeysPerDetector: 30_000, trackChanges: true });
const maker = new TrafficMaker('x', 0.2);
const offsets = new Map([['t', '1']]);
const records: string[] = [];
let valueBytes = 0;
const commit = (): void => {
  for (const m of changelogMessages((visit) => pipeline.drainChanges(visit), offsets, 0)) {
    const value = m.value instanceof Buffer ? m.value : null;
    records.push(`${String(m.key)}:${value === null ? 'null' : value.toString('hex')}`);
    valueBytes += value?.length ?? 0;
  }
};

let now = Date.UTC(2026, 0, 5, 9);
for (let i = 0; i < events; i++) {
  pipeline.process(maker.next(now), 0);
  now += EVENT_EVERY_MS;
  if ((i + 1) % COMMIT_EVERY === 0) commit();
}
commit();
records.sort();
const digest = createHash('sha256').update(records.join('\n')).digest('hex').slice(0, 16);
process.stdout.write(`${JSON.stringify({ events, records: records.length, digest, valueBytes })}\n`);
