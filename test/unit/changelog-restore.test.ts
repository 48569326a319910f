import { ALL_DETECTORS } from '../../src/detectors';
import { changelogRoundTrip } from '../helpers/codec-roundtrip';
import { T0 } from '../helpers/events';
import { SCENARIOS } from '../scenarios';

/**
 * The changelog's contract without Kafka: a partition rebuilt from the
 * changes a pipeline committed (latest record per key, deletions applied)
 * goes on exactly as the pipeline itself, whatever the commit interval, and
 * when state was evicted along the way.
 */
describe('restore from committed changes', () => {
  const events = SCENARIOS.flatMap((s) => s.personas(T0).flatMap((p) => p.events));

  it.each([
    [0.25, 1],
    [0.5, 97],
    [0.75, 1000],
  ])('continues identically after a restore at %p of the traffic (commit every %p events)', (share, commitEvery) => {
    const r = changelogRoundTrip(ALL_DETECTORS, events, Math.floor(events.length * share), { commitEvery });
    expect(r.restoredKeys).toBeGreaterThan(0);
    expect(r.original.length).toBeGreaterThan(0);
    expect(r.restored).toEqual(r.original);
    expect(r.restoredFindings).toEqual(r.originalFindings);
  });

  it('carries evictions: with a small key cap the log keeps only live keys, and the restored pipeline goes on identically', () => {
    const r = changelogRoundTrip(ALL_DETECTORS, events, Math.floor(events.length * 0.6), { commitEvery: 50, settings: { maxKeysPerDetector: 40 } });
    expect(r.restoredKeys).toBeLessThanOrEqual(40 * 3);
    expect(r.restored).toEqual(r.original);
    expect(r.restoredFindings).toEqual(r.originalFindings);
  });
});
