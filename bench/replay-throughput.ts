import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../src/app/build-pipeline';
import { defaultRules } from '../src/detectors';
import { compilePolicy } from '../src/policy/compile';
import { benchLoad } from './load';
import { report } from './report';

/**
 * Replay throughput on one core: events through the full pipeline (every
 * detector, enforcement), in process, decoding excluded. Usage:
 * node dist-bench/bench/replay-throughput.js [accounts] [minutes]
 */
const accounts = Number(process.argv[2] ?? 100_000);
const minutes = Number(process.argv[3] ?? 10);

const events = benchLoad(accounts, minutes);
const pipeline = buildPipeline(compilePolicy(undefined, defaultRules()), DEFAULT_PIPELINE_SETTINGS);
// Warm up the JIT on the first tenth, then measure the rest.
const warm = Math.floor(events.length / 10);
for (let i = 0; i < warm; i++) pipeline.process(events[i]!, 0);
let violations = 0;
const started = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
for (let i = warm; i < events.length; i++) violations += pipeline.process(events[i]!, 0).length;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
// CPU time beside wall time: on a shared machine the wall figure includes waiting for a core. It also counts GC helper threads.
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const measured = events.length - warm;

report('replay-throughput', [{ name: 'replay events/s (one core, all detectors)', value: measured / seconds, unit: 'events/s', target: 300_000, higherIsBetter: true }], {
  accounts,
  minutes,
  events: events.length,
  measuredEvents: measured,
  seconds,
  cpuSeconds,
  violations,
});
