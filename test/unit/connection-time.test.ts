import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { connectionTime } from '../../src/detectors/connection-time';
import type { ConnectionTimeData } from '../../src/detectors/connection-time/codec';
import { crossingIn } from '../../src/detectors/connection-time/daily-total';
import { openCount } from '../../src/detectors/connection-time/open-calls';
import { CONNECTION_TIME_RULES, DAY, MAX_OPEN_CALLS } from '../../src/detectors/connection-time/rules';
import type { DetectorContext, Finding } from '../../src/detectors/types';
import { NOOP_OBSERVER } from '../../src/engine/pipeline';
import { windowStart } from '../../src/engine/window';
import type { CallEvent, TelemetryEvent, Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { callEvent, HOUR, MINUTE, T0 } from '../helpers/events';

/** Timers fire once the watermark (latest event time − 60 s) passes them; a later event of another account moves it. */
const DISORDER = DEFAULT_PIPELINE_SETTINGS.allowedDisorderMs;
const tick = (at: number): CallEvent => callEvent('clock', at);

interface Run {
  violations: Violation[];
  /** Every finding, also those the enforcer held back as duplicates: "once per window" is the detector's promise. */
  findings: Finding[];
  late: string[];
}

function run(events: TelemetryEvent[], policy?: unknown): Run {
  const late: string[] = [];
  const findings: Finding[] = [];
  const observer = { ...NOOP_OBSERVER, late: (_d: string, rule: string) => late.push(rule), finding: (f: Finding) => findings.push(f) };
  const pipeline = buildPipeline(compilePolicy(policy, CONNECTION_TIME_RULES), DEFAULT_PIPELINE_SETTINGS, observer, [connectionTime]);
  const violations = events.flatMap((e) => pipeline.process(e, 0));
  return { violations, findings, late };
}

const flagged = (events: TelemetryEvent[], policy?: unknown): Violation[] => run(events, policy).violations;

interface Call {
  start: CallEvent;
  answer: CallEvent;
  end: CallEvent | undefined;
}

let calls = 0;
/** One call: dialled 10 s before `answeredAt`, connected for `connectedMs` (still up when undefined). */
function call(accountId: string, answeredAt: number, connectedMs?: number): Call {
  const callId = `${accountId}-call-${++calls}`;
  return {
    start: callEvent(accountId, answeredAt - 10_000, { callId }),
    answer: callEvent(accountId, answeredAt, { callId, phase: 'answer' }),
    end:
      connectedMs === undefined
        ? undefined
        : callEvent(accountId, answeredAt + connectedMs, { callId, phase: 'end', disposition: 'answered', durationMs: connectedMs }),
  };
}

/** Every phase of the calls, plus the ticks, in event-time order. */
function timeline(cs: Call[], ...ticks: number[]): TelemetryEvent[] {
  const events: TelemetryEvent[] = cs.flatMap((c) => [c.start, c.answer, ...(c.end ? [c.end] : [])]);
  return [...events, ...ticks.map(tick)].sort((a, b) => a.eventTime - b.eventTime);
}

describe('EXCESSIVE_CONNECTION_TIME long_call', () => {
  it('flags a call still up past 4 h at the minute it passes the limit, and only then', () => {
    const line = call('holder', T0);
    const crossing = T0 + 241 * MINUTE;
    expect(flagged(timeline([line], crossing + DISORDER - 1))).toEqual([]);
    const [v, ...rest] = flagged(timeline([line], crossing + DISORDER));
    expect(rest).toEqual([]);
    expect(v).toMatchObject({
      accountId: 'holder',
      category: 'EXCESSIVE_CONNECTION_TIME',
      rule: 'long_call',
      severity: 'medium',
      action: 'warn',
      detectedAt: crossing,
      windowStart: windowStart(crossing, DAY),
      windowEnd: windowStart(crossing, DAY) + DAY,
      metrics: { connectedMinutes: 241 },
      thresholds: { connectedMinutes: 240 },
      evidence: [line.answer.eventId],
    });
  });

  it('flags an ended call over the limit that no timer saw, once, and not again for a call the timer flagged', () => {
    const unseen = callEvent('ender', T0 + 5 * HOUR, { phase: 'end', disposition: 'answered', durationMs: 5 * HOUR });
    const [v, ...rest] = flagged([unseen]);
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ rule: 'long_call', detectedAt: T0 + 5 * HOUR, metrics: { connectedMinutes: 300 }, evidence: [unseen.eventId] });

    const line = call('holder', T0, 10 * HOUR);
    expect(flagged(timeline([line], T0 + 6 * HOUR, T0 + 11 * HOUR)).map((x) => [x.rule, x.detectedAt])).toEqual([['long_call', T0 + 241 * MINUTE]]);
  });

  it('fires once a day for an account with several long calls', () => {
    const lines = [call('holder', T0, 5 * HOUR), call('holder', T0 + 6 * HOUR, 5 * HOUR)];
    expect(run(timeline(lines, T0 + 12 * HOUR)).findings.filter((f) => f.rule === 'long_call')).toHaveLength(1);
  });

  it('does not report a flagged call as late when it ends after a later window has fired', () => {
    const midnight = windowStart(T0, DAY) + DAY;
    // Flagged at 22:01; a second line flagged at 04:31 the next day; the first ends at 05:00.
    const lines = [call('night', midnight - 6 * HOUR, 11 * HOUR), call('night', midnight + 30 * MINUTE, 5 * HOUR)];
    const result = run(timeline(lines, midnight - 100 * MINUTE, midnight + 4 * HOUR + 40 * MINUTE, midnight + 6 * HOUR));
    expect(result.violations.map((v) => [v.rule, v.detectedAt])).toEqual([
      ['long_call', midnight - 6 * HOUR + 241 * MINUTE],
      ['long_call', midnight + 30 * MINUTE + 241 * MINUTE],
    ]);
    expect(result.late).toEqual([]);
  });

  it('spares a family call of 3 hours, and a call at the limit itself', () => {
    expect(flagged(timeline([call('family', T0, 3 * HOUR)], T0 + 8 * HOUR))).toEqual([]);
    expect(flagged(timeline([call('family', T0, 240 * MINUTE + 59_000)], T0 + 8 * HOUR))).toEqual([]);
  });

  it('reads its limit from the policy, and is silent when off', () => {
    const v = flagged(timeline([call('a', T0, 90 * MINUTE)], T0 + 62 * MINUTE, T0 + 2 * HOUR), { rules: { long_call: { threshold: 60 } } });
    expect(v.map((x) => [x.rule, x.detectedAt, x.metrics])).toEqual([['long_call', T0 + 61 * MINUTE, { connectedMinutes: 61 }]]);
    expect(flagged(timeline([call('a', T0)], T0 + 6 * HOUR), { rules: { long_call: { mode: 'off' } } })).toEqual([]);
  });
});

describe('EXCESSIVE_CONNECTION_TIME concurrent_calls', () => {
  it('flags more than 3 calls held at once, once each has been up a minute', () => {
    const held = [0, 1, 2, 3].map((i) => call('trunk', T0 + i * 1000, 30 * MINUTE));
    const [v, ...rest] = flagged(timeline(held, T0 + 10 * MINUTE));
    expect(rest).toEqual([]);
    expect(v).toMatchObject({
      rule: 'concurrent_calls',
      severity: 'high',
      action: 'throttle',
      detectedAt: T0 + 3000 + MINUTE,
      metrics: { openCalls: 4 },
      thresholds: { openCalls: 3 },
      evidence: held.map((c) => c.answer.eventId),
    });
  });

  it('spares 3 calls at once, call waiting, and a brief overlap of four', () => {
    expect(flagged(timeline([0, 1, 2].map((i) => call('three', T0 + i * 1000, 30 * MINUTE)), T0 + 40 * MINUTE))).toEqual([]);
    const waiting = [call('waiting', T0, 20 * MINUTE), call('waiting', T0 + 18 * MINUTE, 15 * MINUTE)];
    expect(flagged(timeline(waiting, T0 + 40 * MINUTE))).toEqual([]);
    const brief = [call('brief', T0, 30 * MINUTE), ...[1, 2, 3].map((i) => call('brief', T0 + i * 1000, 20_000))];
    expect(flagged(timeline(brief, T0 + 40 * MINUTE))).toEqual([]);
  });

  it('counts a call only once it has been up minHeldSeconds', () => {
    // Three lines held for hours; a fourth call of 5 min is open when the 4 h check runs, up 3 min of the 10 required.
    const calls = [...[0, 1, 2].map((i) => call('bridge', T0 + i * 1000, 5 * HOUR)), call('bridge', T0 + 238 * MINUTE, 5 * MINUTE)];
    const policy = { rules: { concurrent_calls: { params: { minHeldSeconds: 600 } } } };
    expect(flagged(timeline(calls, T0 + 242 * MINUTE, T0 + 6 * HOUR), policy).filter((v) => v.rule === 'concurrent_calls')).toEqual([]);
    // The same fourth call held 15 min is a finding, 10 min after its answer.
    calls[3] = call('bridge', T0 + 238 * MINUTE, 15 * MINUTE);
    expect(flagged(timeline(calls, T0 + 242 * MINUTE, T0 + 6 * HOUR), policy).filter((v) => v.rule === 'concurrent_calls').map((v) => v.detectedAt)).toEqual([T0 + 248 * MINUTE]);
  });

  it('waits for the watermark, so an end delivered a little late is not an open call', () => {
    const held = [0, 1, 2, 3].map((i) => call('late-end', T0 + i * 1000, i === 0 ? 30_000 : 30 * MINUTE));
    const first = held[0];
    if (!first?.end) throw new Error('test setup');
    const events = timeline(held, T0 + 10 * MINUTE).filter((e) => e !== first.end);
    // The first call's end (at T0 + 30 s) arrives after the fourth answer, within the allowed disorder.
    const fourthAnswer = events.findIndex((e) => e === held[3]?.answer);
    events.splice(fourthAnswer + 1, 0, first.end);
    expect(flagged(events)).toEqual([]);
  });
});

describe('EXCESSIVE_CONNECTION_TIME daily_connected_time', () => {
  const gap = 5 * MINUTE;
  const backToBack = (accountId: string, n: number, each: number): Call[] => Array.from({ length: n }, (_, i) => call(accountId, T0 + i * (each + gap), each));

  it('flags a day over 12 h connected while the last call is still up', () => {
    const day = backToBack('marathon', 4, 210 * MINUTE);
    const lastAnswer = T0 + 3 * (210 * MINUTE + gap);
    // 3 × 210 min ended, then 91 min into the fourth call: 721 min.
    const crossing = lastAnswer + 91 * MINUTE;
    const violations = flagged(timeline(day, crossing + DISORDER));
    expect(violations.map((v) => [v.rule, v.detectedAt, v.metrics, v.thresholds])).toEqual([
      ['daily_connected_time', crossing, { connectedMinutes: 721 }, { connectedMinutes: 720 }],
    ]);
    expect(violations[0]?.evidence).toEqual([...day.slice(0, 3).map((c) => c.end?.eventId), day[3]?.answer.eventId]);
    expect(violations[0]?.windowStart).toBe(windowStart(T0, DAY));
  });

  it('flags ended calls alone at the end that takes the day over, counting a redelivered end once', () => {
    // 210 + 210 + 200 min by 17:00, then 200 more by 20:30, the same day: 820 min.
    const end = (at: number, minutes: number): CallEvent => callEvent('ender', at, { phase: 'end', disposition: 'answered', durationMs: minutes * MINUTE });
    const ends = [end(T0 + 4 * HOUR, 210), end(T0 + 8 * HOUR, 210)];
    const more = [end(T0 + 11.5 * HOUR, 200), end(T0 + 14.5 * HOUR, 200)];
    const v = flagged([...ends, ...more]);
    expect(v.map((x) => [x.rule, x.detectedAt, x.metrics])).toEqual([['daily_connected_time', more[1]?.eventTime, { connectedMinutes: 820 }]]);
    const again = (e: CallEvent): CallEvent => ({ ...e, eventId: `${e.eventId}-redelivered` });
    expect(flagged([...ends, ...ends.map(again), ...more.slice(0, 1), ...more.slice(0, 1).map(again)])).toEqual([]);
  });

  it('spares a heavy caller making a hundred short calls all day', () => {
    const day = Array.from({ length: 100 }, (_, i) => call('heavy', T0 - HOUR + i * 7 * MINUTE + (i % 5) * 13_000, 4 * MINUTE + (i % 3) * 30_000));
    expect(flagged(timeline(day, T0 + 14 * HOUR))).toEqual([]);
  });

  it('spares a person with a few hours of calls in a day', () => {
    expect(flagged(timeline(backToBack('chatty', 5, HOUR), T0 + 14 * HOUR))).toEqual([]);
  });

  it('counts a call across midnight in each day only for its own share', () => {
    const midnight = windowStart(T0, DAY) + DAY;
    const policy = { rules: { daily_connected_time: { threshold: 60 }, long_call: { mode: 'off' } } };
    // 23:30 to 00:45: 30 min one day, 45 the next.
    expect(flagged(timeline([call('late-night', midnight - 30 * MINUTE, 75 * MINUTE)], midnight + 3 * HOUR), policy)).toEqual([]);
    // 23:30 to 01:30: 61 min into the second day at 01:01, caught while still up.
    const [v, ...rest] = flagged(timeline([call('late-night', midnight - 30 * MINUTE, 2 * HOUR)], midnight + 62 * MINUTE, midnight + 3 * HOUR), policy);
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ rule: 'daily_connected_time', windowStart: midnight, detectedAt: midnight + 61 * MINUTE, metrics: { connectedMinutes: 61 } });
  });

  it('reports an end for a day already replaced as late, never silently', () => {
    const midnight = windowStart(T0, DAY) + DAY;
    const today = callEvent('night', midnight + 10_000, { phase: 'end', disposition: 'answered', durationMs: HOUR });
    const yesterday = callEvent('night', midnight - 20_000, { phase: 'end', disposition: 'answered', durationMs: HOUR });
    expect(run([today, yesterday]).late).toEqual(['daily_connected_time']);
  });

  it('finds the moment open calls take the total over, piecewise between answers', () => {
    // Two calls from 0: 2 ms a ms.
    expect(crossingIn(0, DAY, 0, [0, 0], 10)).toBe(5);
    // 4 ms closed; one call from 0, a second from 2: 4 + 2 = 6 at 2, then 2 a ms: 10 at 4.
    expect(crossingIn(0, DAY, 4, [0, 2], 10)).toBe(4);
    // A call answered before the window counts from its start.
    expect(crossingIn(100, 1000, 0, [0], 50)).toBe(150);
    expect(crossingIn(0, 1000, 0, [900], 200)).toBeUndefined();
  });
});

describe('EXCESSIVE_CONNECTION_TIME state', () => {
  const codec = connectionTime.codec!;
  const policy = compilePolicy(undefined, CONNECTION_TIME_RULES);
  const ctx = (scheduled: number[]): DetectorContext => ({
    policy,
    watermark: Number.NEGATIVE_INFINITY,
    rule: (name) => policy.rules[name],
    late: () => undefined,
    schedule: (at) => scheduled.push(at),
  });

  it('keeps at most MAX_OPEN_CALLS open calls, and asks for a timer only when the next check comes earlier', () => {
    const state = connectionTime.createState();
    const scheduled: number[] = [];
    for (let i = 0; i < MAX_OPEN_CALLS + 10; i++) connectionTime.onEvent(state, callEvent('a', T0 + i, { callId: `c${i}`, phase: 'answer' }), ctx(scheduled));
    expect(openCount(state)).toBe(MAX_OPEN_CALLS);
    // The first call's 4 h limit; three calls passing 12 h together (721 min / 3); the fourth call held a minute. Nothing after.
    expect(scheduled).toEqual([T0 + 241 * MINUTE, T0 + 2 + Math.ceil((721 * MINUTE - 3) / 3), T0 + 3 + MINUTE]);
  });

  it('closes a call whose end never came after a day, and ignores an answer that arrives after its end', () => {
    const state = connectionTime.createState();
    connectionTime.onEvent(state, callEvent('a', T0, { callId: 'lost', phase: 'answer' }), ctx([]));
    connectionTime.onEvent(state, callEvent('a', T0 + DAY + 1, { callId: 'x' }), ctx([]));
    expect(openCount(state)).toBe(0);
    connectionTime.onEvent(state, callEvent('a', T0 + DAY + 2, { callId: 'y', phase: 'end', durationMs: 0 }), ctx([]));
    connectionTime.onEvent(state, callEvent('a', T0 + DAY + 3, { callId: 'y', phase: 'answer' }), ctx([]));
    expect(openCount(state)).toBe(0);
    // The lost call's end, arriving at last, is a repeat: its day of connected time was booked when it was closed.
    const before = codec.encode(state) as ConnectionTimeData;
    expect(before.recentlyEnded).toEqual(['lost', 'y']);
    connectionTime.onEvent(state, callEvent('a', T0 + DAY + 4, { callId: 'lost', phase: 'end', durationMs: DAY }), ctx([]));
    expect(codec.encode(state)).toEqual(before);
  });

  it("starts each day's connected time from zero", () => {
    const state = connectionTime.createState();
    const day = windowStart(T0, DAY);
    connectionTime.onEvent(state, callEvent('a', day + 8 * HOUR, { callId: 'first', phase: 'end', durationMs: 7 * HOUR }), ctx([]));
    expect((codec.encode(state) as ConnectionTimeData).daily).toEqual({ windowStart: day, closedMs: 7 * HOUR, fired: false });
    connectionTime.onEvent(state, callEvent('a', day + DAY + 8 * HOUR, { callId: 'second', phase: 'end', durationMs: 6 * HOUR }), ctx([]));
    expect((codec.encode(state) as ConnectionTimeData).daily).toEqual({ windowStart: day + DAY, closedMs: 6 * HOUR, fired: false });
  });
});
