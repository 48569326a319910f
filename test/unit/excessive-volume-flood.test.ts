import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { CONTACT_FLOOD_RULES, contactFlood, FEW_NUMBERS_RULES, fewNumbersFlood } from '../../src/detectors/excessive-volume';
import type { PipelineObserver } from '../../src/engine/pipeline';
import type { TelemetryEvent, Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { callEvent, HOUR, messageEvent, MINUTE, T0 } from '../helpers/events';

const VICTIM = '+12125550142';
/** One person's mobile, home and work lines. */
const LINES = ['+12125550142', '+16465550142', '+17185550142'];
const callee = (i: number): string => `+1212555${String(1000 + (i % 9000)).padStart(4, '0')}`;

function runOne(events: TelemetryEvent[], policy?: unknown, observer?: PipelineObserver): Violation[] {
  const pipeline = buildPipeline(compilePolicy(policy, CONTACT_FLOOD_RULES), DEFAULT_PIPELINE_SETTINGS, observer, [contactFlood]);
  return events.flatMap((e) => pipeline.process(e, 0));
}

function runFew(events: TelemetryEvent[], policy?: unknown, observer?: PipelineObserver): Violation[] {
  const pipeline = buildPipeline(compilePolicy(policy, FEW_NUMBERS_RULES), DEFAULT_PIPELINE_SETTINGS, observer, [fewNumbersFlood]);
  return events.flatMap((e) => pipeline.process(e, 0));
}

/** Both flood detectors together, for the look-alikes that must stay silent under either. */
function runBoth(events: TelemetryEvent[]): Violation[] {
  const pipeline = buildPipeline(compilePolicy(undefined, { ...CONTACT_FLOOD_RULES, ...FEW_NUMBERS_RULES }), DEFAULT_PIPELINE_SETTINGS, undefined, [contactFlood, fewNumbersFlood]);
  return events.flatMap((e) => pipeline.process(e, 0));
}

const sorted = (events: TelemetryEvent[]): TelemetryEvent[] => [...events].sort((a, b) => a.eventTime - b.eventTime);

/** A dialled call and its end, as the platform sends them. */
function call(account: string, at: number, to: string, disposition: 'answered' | 'busy' | 'no_answer', durationMs: number, id: string): TelemetryEvent[] {
  return [
    callEvent(account, at, { callId: id, to, phase: 'start' }),
    callEvent(account, at + durationMs + 15_000, { callId: id, to, phase: 'end', disposition, durationMs }),
  ];
}

describe('EXCESSIVE_VOLUME aimed at one number', () => {
  it('flags a harasser calling one number 40 times in an hour, without the number in the violation', () => {
    const events = Array.from({ length: 40 }, (_, i) => call('harasser', T0 + i * 90_000, VICTIM, 'no_answer', 0, `h-${i}`)).flat();
    const starts = events.filter((e) => e.type === 'call' && e.phase === 'start');
    const vs = runOne(events);
    expect(vs).toHaveLength(1);
    expect(vs[0]).toMatchObject({
      accountId: 'harasser',
      category: 'EXCESSIVE_VOLUME',
      rule: 'calls_to_one_number',
      severity: 'medium',
      action: 'throttle',
      windowStart: T0,
      windowEnd: T0 + HOUR,
      detectedAt: T0 + 20 * 90_000,
      metrics: { calls: 21 },
      thresholds: { calls: 20 },
      evidence: starts.slice(11, 21).map((e) => e.eventId),
    });
    expect(JSON.stringify(vs)).not.toContain(VICTIM.slice(1));
  });

  it('flags a message flood to one number', () => {
    const events = Array.from({ length: 300 }, (_, i) => messageEvent('bomber', T0 + i * 10_000, { to: VICTIM }));
    expect(runOne(events).map((v) => [v.rule, v.detectedAt, v.metrics, v.thresholds])).toEqual([['messages_to_one_number', T0 + 150 * 10_000, { messages: 151 }, { messages: 150 }]]);
  });

  it('fires once per account, number and hour, and again in the next hour', () => {
    const events = [0, 1].flatMap((h) => Array.from({ length: 30 }, (_, i) => callEvent('a', T0 + h * HOUR + i * MINUTE, { to: VICTIM })));
    expect(runOne(events).map((v) => [v.windowStart, v.metrics])).toEqual([
      [T0, { calls: 21 }],
      // The enforcer notes the earlier finding of the same rule.
      [T0 + HOUR, { calls: 21, priorFindings: 1 }],
    ]);
  });

  it('keeps numbers and accounts apart', () => {
    const events = sorted([
      ...Array.from({ length: 15 }, (_, i) => callEvent('a', T0 + i * MINUTE, { to: VICTIM })),
      ...Array.from({ length: 15 }, (_, i) => callEvent('a', T0 + i * MINUTE + 1, { to: '+12125550143' })),
      ...Array.from({ length: 15 }, (_, i) => callEvent('b', T0 + i * MINUTE + 2, { to: VICTIM })),
    ]);
    expect(runOne(events)).toEqual([]);
  });

  it('never counts an allow-listed destination', () => {
    const hotline = '+18005550199';
    const events = [
      ...Array.from({ length: 40 }, (_, i) => callEvent('caller', T0 + i * MINUTE, { to: hotline })),
      ...Array.from({ length: 200 }, (_, i) => messageEvent('caller', T0 + i * 10_000, { to: hotline })),
    ];
    const allow = { allow: { destinations: [hotline] } };
    expect(runOne(sorted(events), allow)).toEqual([]);
    expect(runFew(events, allow)).toEqual([]);
    // Without the allow-list the same traffic is a flood: the test above can fail.
    expect(runOne(sorted(events)).map((v) => v.rule).sort()).toEqual(['calls_to_one_number', 'messages_to_one_number']);
  });

  it('reports events for a replaced window as late', () => {
    const late: string[] = [];
    const observer: PipelineObserver = { event: () => undefined, finding: () => undefined, stateSize: () => undefined, evicted: () => undefined, late: (d, r) => late.push(`${d}/${r}`) };
    runOne([messageEvent('a', T0 + HOUR, { to: VICTIM }), messageEvent('a', T0, { to: VICTIM })], undefined, observer);
    runFew([callEvent('a', T0 + HOUR, { to: VICTIM }), callEvent('a', T0, { to: VICTIM })], undefined, observer);
    expect(late).toEqual(['excessive_volume_contact_flood/messages_to_one_number', 'excessive_volume_few_numbers/calls_to_few_numbers']);
  });
});

describe('EXCESSIVE_VOLUME aimed at a few numbers', () => {
  it("flags 45 calls in an hour spread over one person's three lines, each under the one-number limit", () => {
    const events = Array.from({ length: 45 }, (_, i) => callEvent('stalker', T0 + i * 75_000, { to: LINES[i % 3] }));
    expect(runOne(events)).toEqual([]);
    const vs = runFew(events);
    expect(vs.map((v) => [v.rule, v.detectedAt, v.metrics, v.thresholds])).toEqual([
      ['calls_to_few_numbers', T0 + 40 * 75_000, { calls: 41, callsToTopNumbers: 41, topNumbers: 3, sharePercent: 100 }, { callsToTopNumbers: 40, sharePercent: 50 }],
    ]);
    expect(vs[0]?.evidence).toEqual(events.slice(31, 41).map((e) => e.eventId));
    expect(JSON.stringify(vs)).not.toMatch(/5550142/);
  });

  it('counts only the top maxNumbers numbers', () => {
    // Five numbers × 10: the top three carry 30, under 40.
    const events = Array.from({ length: 50 }, (_, i) => callEvent('five', T0 + i * MINUTE, { to: callee(i % 5) }));
    expect(runFew(events)).toEqual([]);
    expect(runFew(events, { rules: { calls_to_few_numbers: { params: { maxNumbers: 5 } } } }).map((v) => v.metrics)).toEqual([
      { calls: 41, callsToTopNumbers: 41, topNumbers: 5, sharePercent: 100 },
    ]);
  });

  it('needs most of the hour to go to those numbers', () => {
    // Round-robin over seven numbers: the top three carry 45 of 105 calls, 43 %, under the 50 % share.
    const events = Array.from({ length: 105 }, (_, i) => callEvent('busy', T0 + i * 30_000, { to: callee(i % 7) }));
    expect(runFew(events)).toEqual([]);
    expect(runFew(events, { rules: { calls_to_few_numbers: { params: { minSharePercent: 40 } } } }).map((v) => v.rule)).toEqual(['calls_to_few_numbers']);
  });

  it('starts a fresh summary each hour', () => {
    const events = [0, 1].flatMap((h) => Array.from({ length: 30 }, (_, i) => callEvent('a', T0 + h * HOUR + i * MINUTE, { to: LINES[i % 3] })));
    expect(runFew(events)).toEqual([]);
  });
});

describe('legitimate look-alikes stay silent', () => {
  it('redialling a busy line 8 times in an hour', () => {
    const events = Array.from({ length: 8 }, (_, i) => call('redialler', T0 + i * 6 * MINUTE, VICTIM, i < 7 ? 'busy' : 'answered', i < 7 ? 0 : 4 * MINUTE, `r-${i}`)).flat();
    expect(runBoth(events)).toEqual([]);
  });

  it('two people in a long, chatty conversation: 80 messages an hour to one number, in bursts, for 3 hours', () => {
    const events: TelemetryEvent[] = [];
    for (let h = 0; h < 3; h++) {
      // Bursts of 8 messages 12 s apart, every 6 minutes.
      for (let b = 0; b < 10; b++) for (let m = 0; m < 8; m++) events.push(messageEvent('chatty', T0 + h * HOUR + b * 6 * MINUTE + m * 12_000, { to: VICTIM, contentHash: `c-${h}-${b}-${m}` }));
    }
    expect(events).toHaveLength(240);
    expect(runBoth(events)).toEqual([]);
  });

  it('a heavy caller spread over many numbers, calling some back a few times', () => {
    // 190 calls in an hour to 60 customers, each called back up to 4 times.
    const events = Array.from({ length: 190 }, (_, i) => call('sales', T0 + i * 18_000, callee(i % 60), 'answered', 5_000, `s-${i}`)).flat();
    expect(runBoth(sorted(events))).toEqual([]);
  });

  it('a heavy texter spread over many numbers, group messages included', () => {
    const events = Array.from({ length: 950 }, (_, i) => messageEvent('texter', T0 + Math.floor(i / 25) * 90_000 + (i % 25), { to: callee(i % 25) }));
    expect(runBoth(events)).toEqual([]);
  });

  it('a person calling home, work and a partner through the day', () => {
    const events = Array.from({ length: 36 }, (_, i) => callEvent('commuter', T0 + i * 20 * MINUTE, { to: LINES[i % 3] }));
    expect(runBoth(events)).toEqual([]);
  });
});
