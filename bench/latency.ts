import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { buildCodecs } from '../src/events/codecs';
import type { Violation } from '../src/events/types';
import { loadSchemaFiles } from '../src/io/schema-files';
import { BROKERS, benchTopics, detectorEnv, inputTopicList } from './kafka/bench-env';
import { Child, runNodeArgs, cpuSecondsOf, runToEnd } from './kafka/child';
import { deleteBenchTopics } from './kafka/cleanup';
import { freePort, scrapeTotals, waitReady } from './kafka/detector-http';
import { committedOffsets, endOffsets, remaining } from './kafka/offsets';
import { PROBE_PREFIX, PROBE_RULE, producePaced, TrafficMaker } from './kafka/paced-producer';
import { report } from './report';

/**
 * Detection latency: records are produced live at a fixed rate (default
 * 20,000/s) with event time = produce time, ONE `abuse-detector run` process
 * consumes them, and a read_committed consumer on the violations topic notes
 * when each probe's violation becomes visible. Latency = visible − detectedAt
 * (= the triggering record's produce time). Violations detected during the
 * warm-up are left out. Knobs: BENCH_LATENCY_RATE, BENCH_LATENCY_SECONDS
 * (60), BENCH_LATENCY_WARMUP_SECONDS (10), BENCH_LATENCY_PARTITIONS (6).
 */
const rate = Number(process.env.BENCH_LATENCY_RATE ?? 20_000);
const seconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 60);
const warmupSeconds = Number(process.env.BENCH_LATENCY_WARMUP_SECONDS ?? 10);
const partitions = Number(process.env.BENCH_LATENCY_PARTITIONS ?? 6);
const PROBE_SHARE = 0.2;
const TRAILING_MS = 15_000;

const work = mkdtempSync(join(tmpdir(), 'bench-latency-'));
const topics = benchTopics('lat');
const group = `${topics.prefix}-detector`;
const watchGroup = `${topics.prefix}-watch`;
const kafka = new Kafka({ clientId: `${topics.prefix}-harness`, brokers: [BROKERS], logLevel: logLevel.ERROR });
const admin = kafka.admin();
const codecs = buildCodecs(loadSchemaFiles(join(process.cwd(), 'schemas')));
const say = (s: string): void => void process.stderr.write(`[latency] ${s}\n`);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function main(): Promise<void> {
  await admin.connect();
  const watcher = kafka.consumer({ groupId: watchGroup, readUncommitted: false, maxWaitTimeInMs: 20 });
  let detector: Child | undefined;
  try {
    const port = await freePort();
    const env = detectorEnv(topics, group, partitions, port);
    await runToEnd('topics', process.execPath, ['dist/cli/main.js', 'topics'], env, join(work, 'topics.log'));
    const nodeArgs = runNodeArgs('latency-run');
    detector = new Child('detector', process.execPath, [...nodeArgs, 'dist/cli/main.js', 'run'], env, join(work, 'detector.log'));
    const d = detector;
    await waitReady(port, 60_000, () => d.running);

    // Every probe violation, as the enforcement topic's read_committed consumers see it.
    const samples: { detectedAt: number; latencyMs: number }[] = [];
    let otherViolations = 0;
    const joined = new Promise<void>((resolve) => watcher.on(watcher.events.GROUP_JOIN, () => resolve()));
    await watcher.connect();
    await watcher.subscribe({ topic: topics.violations, fromBeginning: true });
    await watcher.run({
      eachBatch: async ({ batch }) => {
        const seenAt = Date.now();
        for (const m of batch.messages) {
          if (m.value === null) continue;
          const v = codecs.violation.decode('single-object', m.value) as Violation;
          if (v.rule === PROBE_RULE && v.accountId.startsWith(PROBE_PREFIX)) samples.push({ detectedAt: v.detectedAt, latencyMs: seenAt - v.detectedAt });
          else otherViolations++;
        }
        return Promise.resolve();
      },
    });
    await joined;

    const maker = new TrafficMaker(topics.prefix.slice('bench-'.length), PROBE_SHARE);
    say(`producing ${rate.toLocaleString('en-US')} records/s for ${warmupSeconds + seconds} s (the first ${warmupSeconds} s warm up); logs in ${work}`);
    const startedAt = Date.now();
    const produced = await producePaced(kafka, codecs, topics, maker, rate, warmupSeconds + seconds);
    const endedAt = Date.now();
    const ends = await endOffsets(admin, inputTopicList(topics));
    const lagAtEnd = remaining(ends, await committedOffsets(admin, group, inputTopicList(topics)));
    // Let the last probes' violations arrive; stop early once the detector has caught up and they are in.
    const deadline = Date.now() + TRAILING_MS;
    while (Date.now() < deadline && remaining(ends, await committedOffsets(admin, group, inputTopicList(topics))) > 0) await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 1000));
    const metrics = await scrapeTotals(port).catch((): Record<string, number> => ({}));
    const detectorCpuSeconds = cpuSecondsOf(detector.process.pid);

    const measured = samples.filter((s) => s.detectedAt >= startedAt + warmupSeconds * 1000 && s.detectedAt <= endedAt);
    const sorted = measured.map((s) => s.latencyMs).sort((a, b) => a - b);
    // The slowest probe of each second of the measured load: whether the tail is spread out (queueing) or comes in
    // a few bad seconds (a stall: a collection, the broker, the machine).
    const maxBySecond = Array.from({ length: seconds }, () => 0);
    for (const s of measured) {
      const second = Math.floor((s.detectedAt - startedAt) / 1000) - warmupSeconds;
      if (second >= 0 && second < seconds) maxBySecond[second] = Math.max(maxBySecond[second] ?? 0, s.latencyMs);
    }
    const offered = produced.sent / produced.seconds;
    report(
      'latency',
      [
        { name: `offered load (asked: ${rate.toLocaleString('en-US')})`, value: offered, unit: 'events/s', higherIsBetter: true },
        { name: 'produce → violation visible p50', value: percentile(sorted, 50), unit: 'ms', higherIsBetter: false },
        { name: 'produce → violation visible p95', value: percentile(sorted, 95), unit: 'ms', higherIsBetter: false },
        { name: 'produce → violation visible p99', value: percentile(sorted, 99), unit: 'ms', target: 250, higherIsBetter: false },
      ],
      {
        rate,
        seconds,
        warmupSeconds,
        partitions,
        produced,
        samples: sorted.length,
        probeViolationsTotal: samples.length,
        otherViolations,
        maxMs: sorted[sorted.length - 1],
        maxBySecond,
        lagAtEndOfLoad: lagAtEnd,
        detectorCpuSeconds,
        metrics: {
          violationsProduced: metrics.abuse_violations_produced_total,
          eventsProcessed: metrics.abuse_events_total,
          lateEvents: metrics.abuse_late_events_total,
          deadLetters: metrics.abuse_dead_letters_total ?? 0,
          transactions: metrics.abuse_transactions_total,
          changelogRecords: metrics.abuse_changelog_records_total,
          batches: metrics.abuse_batch_duration_seconds_count,
        },
      },
    );
  } finally {
    await watcher.disconnect().catch(() => undefined);
    if (detector) await detector.stop();
    const deleted = await deleteBenchTopics(admin, topics.prefix, [group, watchGroup]).catch((err: unknown) => {
      say(`cleanup failed: ${String(err)}`);
      return [];
    });
    say(`deleted ${deleted.length} bench topics`);
    await admin.disconnect();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`latency bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
