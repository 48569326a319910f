import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../src/app/build-pipeline';
import { ALL_DETECTORS, defaultRules } from '../src/detectors';
import { compilePolicy } from '../src/policy/compile';
import type { TelemetryEvent } from '../src/events/types';
import { report } from './report';

/**
 * Heap per active account with every detector on: N accounts each make a
 * call (start, answer, end) and send two messages, then the heap is measured
 * after a full GC. "Heap" includes the backing stores of typed arrays, which
 * V8 keeps outside its heap (`arrayBuffers`, not `heapUsed`): the engine's
 * columns live there, and they are state the process holds per account. Needs --expose-gc. Usage: node --expose-gc … [accounts]
 * [detector name]: with a name, only that detector runs (one process per
 * detector, so one detector's garbage never blurs another's figure).
 */
const accounts = Number(process.argv[2] ?? 1_000_000);
const only = process.argv[3];
const detectors = only === undefined ? ALL_DETECTORS : ALL_DETECTORS.filter((d) => d.name === only);
if (detectors.length === 0) throw new Error(`no detector named ${only}; names: ${ALL_DETECTORS.map((d) => d.name).join(', ')}`);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function* traffic(): Generator<TelemetryEvent> {
  const t0 = Date.UTC(2026, 0, 5, 9);
  for (let i = 0; i < accounts; i++) {
    const accountId = `acct-${i}`;
    const t = t0 + Math.floor((i / accounts) * 3_600_000);
    const from = `+1415${String(1_000_000 + (i % 8_999_999)).padStart(7, '0')}`;
    const to = `+1212${String(2_000_000 + ((i * 7919) % 7_999_999)).padStart(7, '0')}`;
    const base = { accountId, deviceId: `dev-${i}`, from, to, originChannel: 'app' as const };
    yield { type: 'call', eventId: `c${i}s`, eventTime: t, callId: `call-${i}`, phase: 'start', ...base };
    yield { type: 'call', eventId: `c${i}a`, eventTime: t + 2_000, callId: `call-${i}`, phase: 'answer', ...base };
    yield { type: 'call', eventId: `c${i}e`, eventTime: t + 60_000, callId: `call-${i}`, phase: 'end', disposition: 'answered', durationMs: 58_000, ...base };
    for (let m = 0; m < 2; m++) yield { type: 'message', eventId: `m${i}-${m}`, eventTime: t + 70_000 + m, messageId: `msg-${i}-${m}`, contentHash: `h${i}-${m}`, contentLength: 40, ...base };
  }
}

// The duplicate filter is a fixed cost per partition, not per account: keep it out of the per-account figure.
const settings = { ...DEFAULT_PIPELINE_SETTINGS, maxKeysPerDetector: accounts * 2, duplicateHorizon: 0 };
/** The V8 heap and the typed arrays' backing stores outside it. */
function held(): { heap: number; arrayBuffers: number } {
  const m = process.memoryUsage();
  return { heap: m.heapUsed, arrayBuffers: m.arrayBuffers };
}

gc();
const before = held();
const pipeline = buildPipeline(compilePolicy(undefined, defaultRules()), settings, undefined, detectors);
for (const e of traffic()) pipeline.process(e, 0);
gc();
const after = held();
const perAccount = (after.heap - before.heap + after.arrayBuffers - before.arrayBuffers) / accounts;

report(only === undefined ? 'memory-per-account' : `memory-per-account-${only}`, [{ name: `heap per active account (${only ?? 'all detectors'})`, value: perAccount, unit: 'bytes', target: 600, higherIsBetter: false }], {
  accounts,
  heapBeforeMiB: before.heap / 2 ** 20,
  heapAfterMiB: after.heap / 2 ** 20,
  /** Of the figure, the typed arrays' backing stores (the engine's columns), per account. */
  arrayBuffersPerAccount: (after.arrayBuffers - before.arrayBuffers) / accounts,
  // Keep the pipeline reachable until measured.
  keepAlive: typeof pipeline,
});
