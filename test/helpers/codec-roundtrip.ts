import { buildPipeline, DEFAULT_PIPELINE_SETTINGS, type PipelineSettings } from '../../src/app/build-pipeline';
import { defaultRules } from '../../src/detectors';
import type { AnyDetector, Finding } from '../../src/detectors/types';
import { PartitionStateBuilder } from '../../src/engine/partition-state-builder';
import type { Pipeline, PipelineObserver } from '../../src/engine/pipeline';
import type { PipelineChanges } from '../../src/engine/state-changes';
import type { TelemetryEvent, Violation } from '../../src/events/types';
import { PlainWriter, readPlain } from '../../src/io/plain-binary';
import { compilePolicy } from '../../src/policy/compile';

/**
 * The changelog's contract, tested without Kafka: a pipeline restored from a
 * snapshot of another (through structured clone, as a changelog record would
 * carry it) must produce exactly the violations the original goes on to
 * produce, at every split point.
 */
const PLAIN_PROTOTYPES = new Set<unknown>([
  Object.prototype,
  Array.prototype,
  Map.prototype,
  Set.prototype,
  null,
  ...[Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array].map((t) => t.prototype),
]);

/** Throws on anything a changelog could not carry faithfully: class instances, functions. */
export function assertPlainData(value: unknown, path = 'state'): void {
  if (typeof value === 'function') throw new Error(`${path} is a function`);
  if (typeof value !== 'object' || value === null) return;
  if (!PLAIN_PROTOTYPES.has(Object.getPrototypeOf(value))) throw new Error(`${path} is an instance of ${value.constructor.name}: encode it as plain data`);
  if (ArrayBuffer.isView(value)) return;
  if (value instanceof Map) {
    for (const [k, v] of value) {
      assertPlainData(k, `${path}.key`);
      assertPlainData(v, `${path}[${String(k)}]`);
    }
    return;
  }
  if (value instanceof Set) {
    for (const v of value) assertPlainData(v, `${path}.member`);
    return;
  }
  for (const [k, v] of Object.entries(value)) assertPlainData(v, `${path}.${k}`);
}

/** Every finding with its enforcement outcome, and every late report: what violations alone can hide. */
function recorder(): { observer: PipelineObserver; log: string[] } {
  const log: string[] = [];
  const observer: PipelineObserver = {
    event: () => undefined,
    stateSize: () => undefined,
    evicted: () => undefined,
    late: (d, r) => log.push(`late ${d}/${r}`),
    finding: (f: Finding, outcome) => log.push(`${outcome} ${JSON.stringify(f)}`),
  };
  return { observer, log };
}

/** Feeds the rest of the events to the original and the restored pipeline alike, recording from here on. */
function continueBoth(
  a: Pipeline,
  recA: { log: string[] },
  b: Pipeline,
  recB: { log: string[] },
  rest: readonly TelemetryEvent[],
): { original: Violation[]; restored: Violation[]; originalFindings: string[]; restoredFindings: string[] } {
  recA.log.length = 0;
  const original: Violation[] = [];
  const restored: Violation[] = [];
  for (const e of rest) {
    original.push(...a.process(e, 0));
    restored.push(...b.process(e, 0));
  }
  return { original, restored, originalFindings: recA.log, restoredFindings: recB.log };
}

/**
 * Runs `events` (sorted by time) through two pipelines of `detectors`: the
 * second is restored, after `splitAt` events, from a snapshot of the first.
 * Returns the violations after the split, which both must agree on, and the
 * findings (with outcomes) and late reports after the split: a lost "already
 * fired" mark shows there even when enforcement de-duplicates the violation.
 */
export function roundTrip(
  detectors: readonly AnyDetector[],
  events: readonly TelemetryEvent[],
  splitAt: number,
  policy?: unknown,
): { original: Violation[]; restored: Violation[]; originalFindings: string[]; restoredFindings: string[] } {
  const compiled = compilePolicy(policy, defaultRules([...detectors]));
  const sorted = [...events].sort((a, b) => a.eventTime - b.eventTime);
  const recA = recorder();
  const recB = recorder();
  const a = buildPipeline(compiled, DEFAULT_PIPELINE_SETTINGS, recA.observer, detectors);
  const b = buildPipeline(compiled, DEFAULT_PIPELINE_SETTINGS, recB.observer, detectors);
  for (const e of sorted.slice(0, splitAt)) a.process(e, 0);
  const snapshot = a.snapshot();
  for (const d of snapshot.detectors) for (const e of d.entries) assertPlainData(e.data, `${d.detector}[${e.key}]`);
  b.restore(structuredClone(snapshot), 0);
  return continueBoth(a, recA, b, recB, sorted.slice(splitAt));
}

/**
 * As roundTrip(), but the second pipeline is rebuilt the way the Kafka
 * service rebuilds a partition: from the changes the first one committed
 * every `commitEvery` events (through v8 serialization, as the changelog
 * stores them), folded latest-wins. Returns also how many keys the restore
 * read back.
 */
export function changelogRoundTrip(
  detectors: readonly AnyDetector[],
  events: readonly TelemetryEvent[],
  splitAt: number,
  options: { commitEvery: number; settings?: Partial<PipelineSettings> },
): { original: Violation[]; restored: Violation[]; originalFindings: string[]; restoredFindings: string[]; restoredKeys: number } {
  const compiled = compilePolicy(undefined, defaultRules([...detectors]));
  const settings: PipelineSettings = { ...DEFAULT_PIPELINE_SETTINGS, ...options.settings, trackChanges: true };
  const sorted = [...events].sort((x, y) => x.eventTime - y.eventTime);
  const recA = recorder();
  const recB = recorder();
  const a = buildPipeline(compiled, settings, recA.observer, detectors);
  const log = new PartitionStateBuilder();
  // Through the changelog's value form, so state that does not survive it fails here.
  const wire = new PlainWriter();
  const commit = (): void => {
    wire.begin().value(a.takeChanges());
    log.changes(readPlain(wire.take()) as PipelineChanges);
  };
  sorted.slice(0, splitAt).forEach((e, i) => {
    a.process(e, 0);
    if ((i + 1) % options.commitEvery === 0) commit();
  });
  commit();
  const b = buildPipeline(compiled, settings, recB.observer, detectors);
  const report = b.restoreState(log.build(), 0);
  return { ...continueBoth(a, recA, b, recB, sorted.slice(splitAt)), restoredKeys: report.keys };
}
