import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../src/app/build-pipeline';
import { defaultRules } from '../src/detectors';
import type { TelemetryEvent } from '../src/events/types';
import { compilePolicy } from '../src/policy/compile';
import { report } from './report';
import { eventAt } from './traffic/day-events';
import { planDay } from './traffic/day-plan';

/**
 * Replay throughput on one core: a whole day of event time for N accounts
 * (bench/traffic: diurnal curve, ordinary and heavy users, spammer and
 * robocaller campaigns) through the full pipeline (every detector,
 * enforcement), in process; decoding excluded. Events are made in chunks
 * outside the timed part, so neither making them nor a heap full of them is
 * measured. The first tenth of the day's events warms up the JIT.
 * Usage: node dist-bench/bench/replay-throughput.js [accounts]
 */
const accounts = Number(process.argv[2] ?? 100_000);
const CHUNK = 50_000;

const plan = planDay(accounts);
const total = plan.order.length;
const pipeline = buildPipeline(compilePolicy(undefined, defaultRules()), DEFAULT_PIPELINE_SETTINGS);
const warm = Math.floor(total / 10);
const chunk: TelemetryEvent[] = [];
let violations = 0;
let timedNs = 0n;
// CPU time beside wall time: on a shared machine the process may get well under a core.
let timedCpuUs = 0;
for (let from = 0; from < total; from += CHUNK) {
  chunk.length = 0;
  for (let p = from; p < Math.min(from + CHUNK, total); p++) chunk.push(eventAt(plan, p));
  const timed = from >= warm;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (const e of chunk) violations += pipeline.process(e, 0).length;
  if (timed) {
    timedNs += process.hrtime.bigint() - started;
    const used = process.cpuUsage(cpu);
    timedCpuUs += used.user + used.system;
  }
}
const warmed = Math.ceil(warm / CHUNK) * CHUNK;
const measured = total - Math.min(warmed, total);
const seconds = Number(timedNs) / 1e9;

const cpuSeconds = timedCpuUs / 1e6;

report('replay-throughput', [
  { name: 'replay events/s (one core, all detectors)', value: measured / seconds, unit: 'events/s', target: 300_000, higherIsBetter: true },
  { name: 'replay events per CPU-second', value: measured / cpuSeconds, unit: 'events/s', higherIsBetter: true },
], {
  accounts,
  personas: plan.personas,
  eventTimeSpan: 'one day (00:00–24:00 UTC), diurnal curve',
  events: total,
  measuredEvents: measured,
  seconds,
  cpuSeconds,
  violations,
  heapAfterMiB: process.memoryUsage().heapUsed / 2 ** 20,
});
