import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { ALL_DETECTORS, defaultRules } from '../../src/detectors';
import { bulkMessaging } from '../../src/detectors/bulk-messaging';
import type { AnyDetector } from '../../src/detectors/types';
import type { Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { T0 } from '../helpers/events';
import { scenario } from '../scenarios/bulk-messaging';

/** Replays every persona of the scenario together, in event-time order, through the given detectors. */
function replay(detectors: readonly AnyDetector[], t0: number): Violation[] {
  const pipeline = buildPipeline(compilePolicy(undefined, defaultRules(detectors)), DEFAULT_PIPELINE_SETTINGS, undefined, detectors);
  const events = scenario.personas(t0).flatMap((p) => p.events);
  return events.sort((a, b) => a.eventTime - b.eventTime).flatMap((e) => pipeline.process(e, 0));
}

const rulesOf = (vs: Violation[], account: string): string[] => [...new Set(vs.filter((v) => v.accountId === account).map((v) => v.rule))].sort();

describe('BULK_MESSAGING scenario', () => {
  const personas = scenario.personas(T0);
  const HOUR = 3600_000;

  it('has 2–3 abusive personas and 3–4 look-alikes, prefixed, within a day, at a modest pace', () => {
    expect(personas.filter((p) => p.kind === 'abusive').length).toBeGreaterThanOrEqual(2);
    expect(personas.filter((p) => p.kind === 'legitimate').length).toBeGreaterThanOrEqual(3);
    for (const p of personas) {
      expect(p.accountId.startsWith('bulk-messaging-')).toBe(true);
      const times = p.events.map((e) => e.eventTime);
      expect(Math.min(...times)).toBeGreaterThanOrEqual(T0);
      expect(Math.max(...times)).toBeLessThan(T0 + 24 * HOUR);
      const messages = p.events.filter((e) => e.type === 'message').map((e) => e.eventTime);
      const most = (span: number): number => Math.max(...messages.map((t) => messages.filter((u) => u >= t && u < t + span).length));
      expect(most(60_000)).toBeLessThanOrEqual(60);
      expect(most(HOUR)).toBeLessThanOrEqual(600);
      if (p.kind === 'legitimate') expect(messages.length).toBeLessThanOrEqual(300);
    }
    expect(new Set(personas.flatMap((p) => p.events.map((e) => e.eventId))).size).toBe(personas.reduce((n, p) => n + p.events.length, 0));
  });

  it.each([T0, Date.UTC(2026, 0, 5, 21, 30)])('flags each abusive persona by its own signal and no look-alike (t0 = %d)', (t0) => {
    const violations = replay([bulkMessaging], t0);
    expect(Object.fromEntries(scenario.personas(t0).map((p) => [p.accountId.replace('bulk-messaging-', ''), rulesOf(violations, p.accountId)]))).toEqual({
      'promo-spammer': ['new_recipient_fanout', 'same_content_recipients'],
      'template-rotator': ['template_campaign_recipients'],
      'reported-sender': ['message_spam_reports'],
      'group-invite': [],
      'business-reminders': [],
      'heavy-texter': [],
      'holiday-greeting': [],
    });
  });

  it('look-alikes stay clear of every other registered detector too', () => {
    const others = ALL_DETECTORS.filter((d) => d.name !== bulkMessaging.name);
    const violations = replay([...others, bulkMessaging], T0);
    const legit = new Set(personas.filter((p) => p.kind === 'legitimate').map((p) => p.accountId));
    expect(violations.filter((v) => legit.has(v.accountId)).map((v) => `${v.accountId} ${v.category} ${v.rule}`)).toEqual([]);
  });
});
