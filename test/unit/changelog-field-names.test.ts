import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { ALL_DETECTORS, defaultRules } from '../../src/detectors';
import { CHANGELOG_FIELD_NAMES } from '../../src/kafka/changelog-field-names';
import { compilePolicy } from '../../src/policy/compile';
import { simulate } from '../../src/simulate/simulate';

/**
 * The changelog's field-name dictionary covers what the codecs write: a name
 * missing from it still round-trips (as text), but costs the bytes the
 * dictionary is there to save, so a new codec field should be appended.
 */
describe('changelog field names', () => {
  it('lists every object field name that a day of simulated traffic of every persona writes to the changelog', () => {
    const pipeline = buildPipeline(compilePolicy(undefined, defaultRules()), { ...DEFAULT_PIPELINE_SETTINGS, trackChanges: true });
    const seen = new Set<string>();
    const walk = (v: unknown): void => {
      if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return;
      if (Array.isArray(v) || v instanceof Set) {
        for (const x of v) walk(x);
        return;
      }
      if (v instanceof Map) {
        for (const x of v.values()) walk(x);
        return;
      }
      for (const [k, x] of Object.entries(v)) {
        seen.add(k);
        walk(x);
      }
    };
    const commit = (): void => {
      const changes = pipeline.takeChanges();
      for (const [, state] of changes.keys) walk(state);
      for (const [, history] of changes.enforcer.history) walk(history);
      walk(changes.clock);
    };
    const sim = simulate({ accounts: 400, seed: 3, abuseShare: 0.2, lookAlikeShare: 0.2, start: Date.UTC(2026, 0, 5), hours: 24, knobs: { intensity: 1, subtlety: 0 } });
    let n = 0;
    for (const event of sim.events) {
      pipeline.process(event, 0);
      if (++n % 2_000 === 0) commit();
    }
    commit();
    expect(n).toBeGreaterThan(10_000);
    const missing = [...seen].filter((name) => CHANGELOG_FIELD_NAMES.positionOf(name) === undefined);
    // If this fails: append the names to the END of CHANGELOG_FIELD_NAMES (never reorder or remove one).
    expect(missing).toEqual([]);
  });

  it('lists every detector and rule name (state is keyed by them)', () => {
    const names = [...ALL_DETECTORS.map((d) => d.name), ...Object.keys(defaultRules())];
    expect(names.filter((name) => CHANGELOG_FIELD_NAMES.positionOf(name) === undefined)).toEqual([]);
  });
});
