import { ALL_DETECTORS } from '../../src/detectors';
import { roundTrip } from '../helpers/codec-roundtrip';
import { T0 } from '../helpers/events';
import { SCENARIOS } from '../scenarios';

/**
 * The whole pipeline, every detector on, over every category's labelled
 * traffic: restored from a snapshot at any point, it goes on exactly as the
 * original would (violations, findings with their outcomes, late reports).
 */
describe('snapshot and restore of every detector', () => {
  const events = SCENARIOS.flatMap((s) => s.personas(T0).flatMap((p) => p.events));

  it('gives every detector a state codec', () => {
    expect(ALL_DETECTORS.filter((d) => d.codec === undefined).map((d) => d.name)).toEqual([]);
  });

  it.each([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])('continues identically after a restore at %p of the traffic', (share) => {
    const { original, restored, originalFindings, restoredFindings } = roundTrip(ALL_DETECTORS, events, Math.floor(events.length * share));
    expect(restored).toEqual(original);
    expect(restoredFindings).toEqual(originalFindings);
    if (share <= 0.5) expect(original.length).toBeGreaterThan(0);
  });
});
