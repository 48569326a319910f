import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { defaultRules } from '../../src/detectors';
import type { PipelineObserver } from '../../src/engine/pipeline';
import { compilePolicy } from '../../src/policy/compile';
import { callEvent, MINUTE, T0 } from '../helpers/events';

/** At-least-once delivery redelivers records: the same eventId on the same partition is counted once. */
const policy = compilePolicy({ rules: { calls_per_hour: { threshold: 3 } } }, defaultRules());
const calls = Array.from({ length: 3 }, (_, i) => callEvent('acct-1', T0 + i * MINUTE, { to: `+1212555${1000 + i * 311}` }));

function counting(): { observer: PipelineObserver; duplicates: string[] } {
  const duplicates: string[] = [];
  return {
    duplicates,
    observer: { event: () => undefined, late: () => undefined, finding: () => undefined, stateSize: () => undefined, evicted: () => undefined, duplicate: (t) => duplicates.push(t) },
  };
}

describe('redelivered records', () => {
  it('are dropped and counted, so a replayed batch does not push an account over a limit', () => {
    const { observer, duplicates } = counting();
    const pipeline = buildPipeline(policy, DEFAULT_PIPELINE_SETTINGS, observer);
    const out = [...calls, ...calls].flatMap((e) => pipeline.process(e, 0));
    expect(out).toEqual([]);
    expect(duplicates).toEqual(['call', 'call', 'call']);
    // A genuinely new fourth call does cross the limit.
    expect(pipeline.process(callEvent('acct-1', T0 + 5 * MINUTE, { to: '+12125559999' }), 0).map((v) => v.rule)).toContain('calls_per_hour');
  });

  it('are still recognised after a restore from a snapshot', () => {
    const a = buildPipeline(policy, DEFAULT_PIPELINE_SETTINGS);
    for (const e of calls) a.process(e, 0);
    const b = buildPipeline(policy, DEFAULT_PIPELINE_SETTINGS);
    b.restore(structuredClone(a.snapshot()), 0);
    expect(calls.flatMap((e) => b.process(e, 0))).toEqual([]);
  });

  it('are counted again when the filter is off', () => {
    const pipeline = buildPipeline(policy, { ...DEFAULT_PIPELINE_SETTINGS, duplicateHorizon: 0 });
    expect([...calls, ...calls].flatMap((e) => pipeline.process(e, 0)).map((v) => v.rule)).toContain('calls_per_hour');
  });
});
