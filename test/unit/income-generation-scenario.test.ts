import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { ALL_DETECTORS, defaultRules } from '../../src/detectors';
import { incomeGeneration } from '../../src/detectors/income-generation';
import type { AnyDetector } from '../../src/detectors/types';
import type { CallEvent, Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { T0 } from '../helpers/events';
import { scenario } from '../scenarios/income-generation';

/** The category's own personas through its detector alone and, for the look-alikes, with every other detector on too. */
const personas = scenario.personas(T0);

function run(detectors: readonly AnyDetector[]): Violation[] {
  const pipeline = buildPipeline(compilePolicy(undefined, defaultRules(detectors)), DEFAULT_PIPELINE_SETTINGS, undefined, detectors);
  const events = personas.flatMap((p) => p.events).sort((a, b) => a.eventTime - b.eventTime);
  return events.flatMap((e) => pipeline.process(e, 0));
}

describe('INCOME_GENERATION scenario', () => {
  const own = run([incomeGeneration]);
  const everything = run(ALL_DETECTORS);

  it('stays within its own account prefix, one day, and modest call rates', () => {
    for (const p of personas) {
      expect(p.accountId.startsWith('income-generation-')).toBe(true);
      const starts = p.events.filter((e): e is CallEvent => e.type === 'call' && e.phase === 'start').map((e) => e.eventTime);
      for (const e of p.events) expect(e.eventTime - T0).toBeLessThan(24 * 3600 * 1000);
      for (const t of starts) {
        expect(starts.filter((s) => s >= t && s < t + 60_000).length).toBeLessThanOrEqual(10);
        expect(starts.filter((s) => s >= t && s < t + 3600_000).length).toBeLessThanOrEqual(100);
      }
      for (const e of p.events) if (e.type === 'call' && e.phase === 'end') expect(e.durationMs ?? 0).toBeLessThan(2 * 3600_000);
      if (p.kind === 'legitimate') expect(starts.length).toBeLessThanOrEqual(50);
    }
  });

  it('flags every abusive persona by this detector alone', () => {
    const flagged = new Set(own.map((v) => v.accountId));
    expect(personas.filter((p) => p.kind === 'abusive' && !flagged.has(p.accountId)).map((p) => p.label)).toEqual([]);
  });

  it('names the rule each abusive persona was built to show', () => {
    const rulesOf = (suffix: string): string[] => own.filter((v) => v.accountId === `income-generation-${suffix}`).map((v) => v.rule);
    expect(rulesOf('pumper')).toEqual(expect.arrayContaining(['high_risk_repeat_calls', 'high_risk_connected_minutes']));
    expect(rulesOf('simbox')).toEqual(['new_range_surge']);
    expect(rulesOf('sms-pumper')).toEqual(['high_risk_messages']);
  });

  it('flags no legitimate persona, with every detector on', () => {
    const legit = new Set(personas.filter((p) => p.kind === 'legitimate').map((p) => p.accountId));
    expect(everything.filter((v) => legit.has(v.accountId)).map((v) => `${v.accountId} ${v.category}/${v.rule}`)).toEqual([]);
  });
});
