import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { ALL_DETECTORS, defaultRules } from '../../src/detectors';
import { contactFlood, deviceVolume, excessiveVolume, fewNumbersFlood } from '../../src/detectors/excessive-volume';
import type { AnyDetector } from '../../src/detectors/types';
import type { CallEvent, Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { HOUR, T0 } from '../helpers/events';
import { scenario } from '../scenarios/excessive-volume';

/** The category's personas through its four detectors alone and, for the look-alikes, with every registered detector on too. */
const personas = scenario.personas(T0);
const OWN: readonly AnyDetector[] = [excessiveVolume, deviceVolume, contactFlood, fewNumbersFlood] as readonly AnyDetector[];

function run(detectors: readonly AnyDetector[]): Violation[] {
  const pipeline = buildPipeline(compilePolicy(undefined, defaultRules(detectors)), DEFAULT_PIPELINE_SETTINGS, undefined, detectors);
  const events = personas.flatMap((p) => p.events).sort((a, b) => a.eventTime - b.eventTime);
  return events.flatMap((e) => pipeline.process(e, 0));
}

describe('EXCESSIVE_VOLUME scenario', () => {
  const own = run(OWN);
  const everything = run(ALL_DETECTORS);
  const rulesOf = (suffix: string): string[] => [...new Set(own.filter((v) => v.accountId === `excessive-volume-${suffix}`).map((v) => v.rule))].sort();

  it('keeps to its prefix, one day, unique event ids and modest legitimate use', () => {
    const events = personas.flatMap((p) => p.events);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(events.filter((e) => e.eventTime < T0 || e.eventTime >= T0 + 24 * HOUR)).toEqual([]);
    for (const p of personas) {
      expect(p.accountId.startsWith('excessive-volume-')).toBe(true);
      expect(p.events.filter((e) => e.accountId !== p.accountId)).toEqual([]);
      if (p.kind === 'legitimate') {
        expect(p.events.filter((e): e is CallEvent => e.type === 'call' && e.phase === 'start').length).toBeLessThanOrEqual(150);
        expect(p.events.filter((e) => e.type === 'message').length).toBeLessThanOrEqual(400);
      }
    }
    expect(personas.filter((p) => p.kind === 'legitimate').length).toBeGreaterThanOrEqual(3);
  });

  it('is deterministic for the same t0', () => {
    expect(scenario.personas(T0)).toEqual(personas);
  });

  it('flags every abusive persona as EXCESSIVE_VOLUME', () => {
    const flagged = new Set(own.filter((v) => v.category === 'EXCESSIVE_VOLUME').map((v) => v.accountId));
    expect(personas.filter((p) => p.kind === 'abusive' && !flagged.has(p.accountId)).map((p) => p.label)).toEqual([]);
  });

  it('names the rule each abusive persona was built to show', () => {
    expect(rulesOf('spammer')).toEqual(['messages_per_hour']);
    expect(rulesOf('harasser')).toEqual(['calls_to_one_number']);
    expect(rulesOf('line-stalker')).toEqual(['calls_to_few_numbers']);
    expect(rulesOf('message-bomber')).toEqual(['messages_to_one_number']);
    for (let i = 1; i <= 5; i++) expect(rulesOf(`device-farm-${i}`)).toEqual(['device_calls_per_hour']);
  });

  it('flags no legitimate persona, by these detectors or any registered one', () => {
    const legit = new Set(personas.filter((p) => p.kind === 'legitimate').map((p) => p.accountId));
    expect([...own, ...everything].filter((v) => legit.has(v.accountId)).map((v) => `${v.accountId} ${v.category}/${v.rule}`)).toEqual([]);
  });
});
