import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ENV_VARS } from '../src/config/run-config';
import { BROKERS, benchTopics, detectorEnv, inputTopicList } from './kafka/bench-env';
import { Child, runNodeArgs, cpuSecondsOf, runToEnd } from './kafka/child';
import { deleteBenchTopics } from './kafka/cleanup';
import { freePort, scrapeTotals } from './kafka/detector-http';
import { endOffsets, total, waitUntilCommitted, type Progress } from './kafka/offsets';
import { peerBuilt, startPeer, type Guarantee } from './kafka/peer';
import { preload } from './kafka/preload';
import { report, type Figure } from './report';
import { eventsPerAccount } from './traffic/day-events';
import { planDay } from './traffic/day-plan';

/**
 * Kafka end to end: N contract-Avro records of day-shaped traffic are loaded
 * into fresh bench topics, then ONE `abuse-detector run` process (a
 * subprocess, configured only by its environment) consumes them from the
 * beginning; the figure is N over the time from its start until its consumer
 * group has committed every input offset (and so every violation is out).
 * Then the Kafka Streams peer does the same on the same records. Topics and
 * groups are deleted at the end. Knobs: BENCH_E2E_RECORDS (default 5,000,000),
 * BENCH_E2E_PARTITIONS (6), BENCH_PEER=0 to skip the peer,
 * BENCH_PEER_GUARANTEE, BENCH_PROFILE=1 for a CPU profile of `run` in out/bench/.
 */
const records = Number(process.env.BENCH_E2E_RECORDS ?? 5_000_000);
const partitions = Number(process.env.BENCH_E2E_PARTITIONS ?? 6);
const preloadWorkers = Number(process.env.BENCH_PRELOAD_WORKERS ?? 2);
const withPeer = process.env.BENCH_PEER !== '0';
// `run` grew a changelog topic with exactly-once: give the peer the same guarantee then.
const oursExactlyOnce = 'TOPIC_CHANGELOG' in ENV_VARS;
const peerGuarantee = (process.env.BENCH_PEER_GUARANTEE ?? (oursExactlyOnce ? 'exactly_once_v2' : 'at_least_once')) as Guarantee;
const TIMEOUT_MS = 30 * 60_000;

const work = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
const topics = benchTopics('e2e');
const ourGroup = `${topics.prefix}-detector`;
const peerApp = `${topics.prefix}-peer`;
const kafka = new Kafka({ clientId: `${topics.prefix}-harness`, brokers: [BROKERS], logLevel: logLevel.ERROR });
const admin = kafka.admin();
const say = (s: string): void => void process.stderr.write(`[e2e] ${s}\n`);

function rate(n: number, from: number, to: number): number {
  return n / ((to - from) / 1000);
}

/** Records per second over the middle 80% of the run, from the commit samples: the steady rate without start-up and tail. */
function steadyRate(p: Progress, n: number): number {
  const at = (frac: number): [number, number] => p.samples.find(([, done]) => done >= n * frac) ?? [p.doneAt, n];
  const [t1, d1] = at(0.1);
  const [t2, d2] = at(0.9);
  return t2 > t1 ? rate(d2 - d1, t1, t2) : 0;
}

interface Outcome {
  seconds: number;
  steady: number;
  cpuSeconds: number | undefined;
}

async function runOurs(ends: Map<string, number>): Promise<Outcome & { metrics: Record<string, number> }> {
  const port = await freePort();
  const env = detectorEnv(topics, ourGroup, partitions, port);
  const nodeArgs = runNodeArgs('e2e-run');
  const started = Date.now();
  const child = new Child('detector', process.execPath, [...nodeArgs, 'dist/cli/main.js', 'run'], env, join(work, 'detector.log'));
  try {
    const progress = await waitUntilCommitted(admin, ourGroup, inputTopicList(topics), ends, {
      pollMs: 250,
      timeoutMs: TIMEOUT_MS,
      alive: () => child.running,
      onProgress: logEvery('ours'),
    });
    const cpuSeconds = cpuSecondsOf(child.process.pid);
    const metrics = await scrapeTotals(port).catch((): Record<string, number> => ({}));
    return { seconds: (progress.doneAt - started) / 1000, steady: steadyRate(progress, total(ends)), cpuSeconds, metrics };
  } finally {
    const code = await child.stop();
    if (code !== 0) say(`detector exited with ${code}; log: ${child.logFile}`);
  }
}

async function runPeer(ends: Map<string, number>): Promise<Outcome> {
  const output = `${topics.prefix}.peer-out`;
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: output, numPartitions: partitions }] });
  const started = Date.now();
  const child = startPeer(topics, peerApp, output, peerGuarantee, mkdtempSync(join(work, 'peer-state-')), join(work, 'peer.log'));
  try {
    const progress = await waitUntilCommitted(admin, peerApp, inputTopicList(topics), ends, { pollMs: 250, timeoutMs: TIMEOUT_MS, alive: () => child.running, onProgress: logEvery('peer') });
    return { seconds: (progress.doneAt - started) / 1000, steady: steadyRate(progress, total(ends)), cpuSeconds: cpuSecondsOf(child.process.pid) };
  } finally {
    await child.stop();
  }
}

function logEvery(who: string): (done: number, of: number) => void {
  let last = 0;
  return (done, of) => {
    if (Date.now() - last < 15_000 && done < of) return;
    last = Date.now();
    say(`${who}: ${done.toLocaleString('en-US')} / ${of.toLocaleString('en-US')} committed`);
  };
}

async function main(): Promise<void> {
  await admin.connect();
  try {
    say(`topics ${topics.prefix}.*, ${partitions} partitions; logs in ${work}`);
    await runToEnd('topics', process.execPath, ['dist/cli/main.js', 'topics'], detectorEnv(topics, ourGroup, partitions, 0), join(work, 'topics.log'));
    const plan = planDay(Math.ceil((records / eventsPerAccount()) * 1.1));
    say(`loading ${records.toLocaleString('en-US')} records (a day of traffic for ${plan.accounts.toLocaleString('en-US')} accounts)`);
    const loaded = await preload(plan.accounts, plan.seed, records, topics, partitions, preloadWorkers);
    say(`loaded in ${loaded.seconds.toFixed(1)} s (${Math.round(loaded.records / loaded.seconds).toLocaleString('en-US')} records/s, ${(loaded.bytes / loaded.records).toFixed(0)} bytes/record)`);
    const ends = await endOffsets(admin, inputTopicList(topics));

    const ours = await runOurs(ends);
    say(`ours: ${ours.seconds.toFixed(1)} s`);
    const peer = withPeer && peerBuilt() ? await runPeer(ends) : undefined;
    if (withPeer && !peerBuilt()) say('peer not built (make bench-peer needs Maven and Java 17): skipped');
    if (peer) say(`peer: ${peer.seconds.toFixed(1)} s`);

    const n = total(ends);
    const oursRate = n / ours.seconds;
    const figures: Figure[] = [{ name: 'Kafka e2e events/s (one process)', value: oursRate, unit: 'events/s', target: 100_000, higherIsBetter: true }];
    if (peer) {
      figures.push({ name: 'Kafka Streams peer events/s', value: n / peer.seconds, unit: 'events/s', higherIsBetter: true });
      figures.push({ name: 'ours / Kafka Streams peer', value: oursRate / (n / peer.seconds), unit: '×', target: 1, higherIsBetter: true });
    }
    const perCpu = (o: Outcome | undefined): number | undefined => (o?.cpuSeconds ? n / o.cpuSeconds : undefined);
    const oursPerCpu = perCpu(ours);
    const peerPerCpu = perCpu(peer);
    if (oursPerCpu !== undefined) figures.push({ name: 'ours, events per CPU-second', value: oursPerCpu, unit: 'events/s', higherIsBetter: true });
    if (peerPerCpu !== undefined) figures.push({ name: 'peer, events per CPU-second', value: peerPerCpu, unit: 'events/s', higherIsBetter: true });
    report('e2e-throughput', figures, {
      records: n,
      accounts: plan.accounts,
      partitions,
      preload: loaded,
      ours: { guarantee: oursExactlyOnce ? 'exactly-once (transactions)' : 'at-least-once', seconds: ours.seconds, eventsPerSecond: oursRate, steadyEventsPerSecond: ours.steady, cpuSeconds: ours.cpuSeconds, eventsPerCpuSecond: oursPerCpu, metrics: ours.metrics },
      peer: peer && { guarantee: peerGuarantee, store: process.env.BENCH_PEER_STORE ?? 'memory', seconds: peer.seconds, eventsPerSecond: n / peer.seconds, steadyEventsPerSecond: peer.steady, cpuSeconds: peer.cpuSeconds, eventsPerCpuSecond: peerPerCpu },
      note: 'time from process start until the group has committed every input offset; steady = middle 80% of the records',
    });
  } finally {
    const deleted = await deleteBenchTopics(admin, topics.prefix, [ourGroup, peerApp]).catch((err: unknown) => {
      say(`cleanup failed: ${String(err)}`);
      return [];
    });
    say(`deleted ${deleted.length} bench topics`);
    await admin.disconnect();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`e2e bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
