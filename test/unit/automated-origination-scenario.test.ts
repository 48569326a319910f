import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { automatedOrigination } from '../../src/detectors/automated-origination';
import { AUTOMATED_ORIGINATION_RULES } from '../../src/detectors/automated-origination/rules';
import type { Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { scenario } from '../scenarios/automated-origination';
import { HOUR, MINUTE, T0 } from '../helpers/events';

/** The category's labelled personas through this detector alone, with its defaults. */
describe('AUTOMATED_ORIGINATION scenario', () => {
  const personas = scenario.personas(T0);
  const pipeline = buildPipeline(compilePolicy(undefined, AUTOMATED_ORIGINATION_RULES), DEFAULT_PIPELINE_SETTINGS, undefined, [automatedOrigination]);
  const events = personas.flatMap((p) => p.events).sort((a, b) => a.eventTime - b.eventTime);
  const violations: Violation[] = events.flatMap((e) => pipeline.process(e, 0));
  const rulesOf = (account: string): string[] => [...new Set(violations.filter((v) => v.accountId === account).map((v) => v.rule))].sort();

  it('is deterministic, within a day after t0, under the category prefix', () => {
    expect(JSON.stringify(scenario.personas(T0).map((p) => p.events.map((e) => [e.eventTime, e.type])))).toBe(JSON.stringify(personas.map((p) => p.events.map((e) => [e.eventTime, e.type]))));
    for (const p of personas) {
      expect(p.accountId.startsWith('automated-origination-')).toBe(true);
      for (const e of p.events) {
        expect(e.accountId).toBe(p.accountId);
        expect(e.eventTime).toBeGreaterThanOrEqual(T0);
        expect(e.eventTime).toBeLessThan(T0 + 24 * HOUR);
      }
    }
  });

  it('flags every abusive persona, each by the signal it was built for', () => {
    expect(rulesOf('automated-origination-robodialler')).toEqual(['regular_interarrival', 'short_answered_calls']);
    expect(rulesOf('automated-origination-api-bot')).toEqual(['api_originations_per_hour', 'no_diurnal_rest']);
    expect(rulesOf('automated-origination-chat-bot')).toEqual(['sustained_origination_rate']);
  });

  it('flags no legitimate persona', () => {
    const legit = new Set(personas.filter((p) => p.kind === 'legitimate').map((p) => p.accountId));
    expect(violations.filter((v) => legit.has(v.accountId))).toEqual([]);
  });

  it('keeps legitimate personas modest: at most ~150 originations a day and 15 a minute', () => {
    for (const p of personas.filter((x) => x.kind === 'legitimate')) {
      const originations = p.events.filter((e) => e.type === 'message' || (e.type === 'call' && e.phase === 'start'));
      expect(originations.length).toBeLessThanOrEqual(150);
      const perMinute = new Map<number, number>();
      for (const e of originations) perMinute.set(Math.floor(e.eventTime / MINUTE), (perMinute.get(Math.floor(e.eventTime / MINUTE)) ?? 0) + 1);
      expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(15);
    }
  });
});
