import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { automatedOrigination } from '../../src/detectors/automated-origination';
import type { AutomatedOriginationData } from '../../src/detectors/automated-origination/codec';
import { gapCount, gapStats, pushGap } from '../../src/detectors/automated-origination/gap-ring';
import { CALLS } from '../../src/detectors/automated-origination/state';
import { AUTOMATED_ORIGINATION_RULES, GAP_RING_CAPACITY } from '../../src/detectors/automated-origination/rules';
import { NOOP_OBSERVER, type PipelineObserver } from '../../src/engine/pipeline';
import type { CallEvent, MessageEvent, TelemetryEvent, Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { Random } from '../../src/simulate/random';
import { callEvent, HOUR, messageEvent, MINUTE, T0 } from '../helpers/events';

const SECOND = 1000;
const DAY = 24 * HOUR;

function run(events: TelemetryEvent[], policy?: unknown, observer?: PipelineObserver): Violation[] {
  const pipeline = buildPipeline(compilePolicy(policy, AUTOMATED_ORIGINATION_RULES), DEFAULT_PIPELINE_SETTINGS, observer, [automatedOrigination]);
  return [...events].sort((a, b) => a.eventTime - b.eventTime).flatMap((e) => pipeline.process(e, 0));
}

const rules = (vs: Violation[]): string[] => vs.map((v) => v.rule);
const callee = (i: number): string => `+1212555${String(1000 + (i % 9000))}`;

/** Times from `start` with gaps drawn by `gap` until `end`. */
function times(start: number, end: number, gap: () => number): number[] {
  const out: number[] = [];
  for (let t = start; t < end; t += gap()) out.push(Math.round(t));
  return out;
}

/** A call's three phases; the end carries the disposition and connected time. */
function call(account: string, at: number, i: number, connectedMs: number | undefined, overrides: Partial<CallEvent> = {}): CallEvent[] {
  const callId = `${account}-call-${i}`;
  const base = { callId, to: callee(i), ...overrides };
  const start = callEvent(account, at, { ...base, phase: 'start' });
  if (connectedMs === undefined) return [start, callEvent(account, at + 30 * SECOND, { ...base, phase: 'end', disposition: 'no_answer', durationMs: 0 })];
  return [
    start,
    callEvent(account, at + 5 * SECOND, { ...base, phase: 'answer' }),
    callEvent(account, at + 5 * SECOND + connectedMs, { ...base, phase: 'end', disposition: 'answered', durationMs: connectedMs }),
  ];
}

function messages(account: string, at: readonly number[], overrides: Partial<MessageEvent> = {}): MessageEvent[] {
  return at.map((t, i) => messageEvent(account, t, { to: callee(i % 7), contentHash: `${account}-${i}`, ...overrides }));
}

/** A heavy human caller: tens of calls an hour at irregular gaps, with a lunch break and a few quick calls. */
function heavyHumanCaller(account: string, rnd: Random): CallEvent[] {
  const gap = (): number => (20 + rnd.int(0, 220)) * SECOND + (rnd.next() < 0.15 ? rnd.int(5, 20) * MINUTE : 0);
  const day = [...times(T0, T0 + 3 * HOUR, gap), ...times(T0 + 4 * HOUR, T0 + 8 * HOUR, gap)];
  return day.flatMap((t, i) => call(account, t, i, rnd.next() < 0.3 ? undefined : rnd.next() < 0.1 ? rnd.int(2, 6) * SECOND : rnd.int(30, 600) * SECOND));
}

/** A heavy texter: bursts of quick messages a few times an hour, quiet in between. */
function burstyTexter(account: string, rnd: Random, from: number, hours: number): MessageEvent[] {
  const at: number[] = [];
  for (let burst = from; burst < from + hours * HOUR; burst += rnd.int(10, 40) * MINUTE) {
    let t = burst;
    const size = rnd.int(5, 40);
    for (let i = 0; i < size; i++) at.push((t += rnd.int(2, 25) * SECOND));
  }
  return messages(account, at);
}

describe('gap ring', () => {
  it('gives the spread of the newest gaps and overwrites the oldest', () => {
    const st = automatedOrigination.createState();
    expect(gapStats(st, CALLS, 2)).toBeUndefined();
    for (let i = 0; i < GAP_RING_CAPACITY; i++) pushGap(st, CALLS, 100);
    expect(gapStats(st, CALLS, 4)).toEqual({ count: 4, meanMs: 100, spanMs: 400, cv: 0 });
    pushGap(st, CALLS, 300);
    // Newest four: 100, 100, 100, 300 → mean 150, sample sd 100.
    expect(gapStats(st, CALLS, 4)).toEqual({ count: 4, meanMs: 150, spanMs: 600, cv: 100 / 150 });
    expect(gapStats(st, CALLS, 2)?.meanMs).toBe(200);
    expect(gapStats(st, CALLS, GAP_RING_CAPACITY + 5)?.count).toBe(GAP_RING_CAPACITY);
    expect(gapCount(st, CALLS)).toBe(GAP_RING_CAPACITY);
  });

  it('reports no spacing for gaps of zero', () => {
    const st = automatedOrigination.createState();
    for (let i = 0; i < 3; i++) pushGap(st, CALLS, 0);
    expect(gapStats(st, CALLS, 3)?.cv).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('AUTOMATED_ORIGINATION: regular_interarrival', () => {
  it('flags a robodialler placing a call every 12 s ± 0.2 s, on the 30th call, once a day', () => {
    const rnd = new Random(1);
    const starts = Array.from({ length: 600 }, (_, i) => T0 + i * 12 * SECOND + rnd.int(-200, 201));
    // A third are answered and hung up after a while: their answer and end phases must not count as calls.
    const events = starts.flatMap((t, i) => call('dialler', t, i, i % 3 === 0 ? 20_000 + rnd.int(0, 40_000) : undefined));
    const found = run(events).filter((v) => v.rule === 'regular_interarrival');
    expect(found).toHaveLength(1);
    const v = found[0] as Violation;
    const startEvents = events.filter((e) => e.phase === 'start');
    expect(v).toMatchObject({
      accountId: 'dialler',
      category: 'AUTOMATED_ORIGINATION',
      severity: 'high',
      action: 'suspend',
      windowStart: starts[0],
      windowEnd: (starts[29] ?? 0) + 1,
      detectedAt: starts[29],
      thresholds: { regularRuns: 0, interArrivalCv: 0.1, events: 30, meanGapMs: 120_000 },
    });
    expect(v.metrics.events).toBe(30);
    expect(v.metrics.interArrivalCv).toBeLessThan(0.02);
    expect(v.metrics.meanGapMs).toBeGreaterThan(11_900);
    // Evidence: the last ten dialled calls of the run, never an answer or end event.
    expect(v.evidence).toEqual(startEvents.slice(20, 30).map((e) => e.eventId));
  });

  it('needs the whole run: 29 regular calls are not enough', () => {
    const calls = Array.from({ length: 29 }, (_, i) => callEvent('short-run', T0 + i * 12 * SECOND));
    expect(run(calls)).toEqual([]);
    expect(rules(run([...calls, callEvent('short-run', T0 + 29 * 12 * SECOND)]))).toEqual(['regular_interarrival']);
  });

  it('flags a message bot ticking once a minute, and counts a message to a group once', () => {
    const at = Array.from({ length: 40 }, (_, i) => T0 + i * MINUTE + (i % 2) * 500);
    // Each message goes to three recipients: one event per recipient, one messageId.
    const fanned = at.flatMap((t, i) => [0, 1, 2].map((r) => messageEvent('ticker', t + r, { messageId: `tick-${i}`, to: callee(r) })));
    const found = run(fanned);
    expect(rules(found)).toEqual(['regular_interarrival']);
    expect(found[0]?.detectedAt).toBe(at[29]);
  });

  it('spares a heavy human caller: tens of calls an hour, irregular, with breaks', () => {
    const events = heavyHumanCaller('human', new Random(7));
    expect(events.filter((e) => e.phase === 'start').length).toBeGreaterThan(100);
    expect(run(events)).toEqual([]);
  });

  it('spares a heavy texter chatting in bursts', () => {
    const events = burstyTexter('texter', new Random(11), T0, 10);
    expect(events.length).toBeGreaterThan(300);
    expect(run(events)).toEqual([]);
  });

  it('spares a slow regular cadence (a reminder every 5 minutes) unless the policy judges slower cadences', () => {
    const reminders = Array.from({ length: 40 }, (_, i) => messageEvent('reminders', T0 + i * 5 * MINUTE));
    expect(run(reminders)).toEqual([]);
    expect(rules(run(reminders, { rules: { regular_interarrival: { params: { maxMeanGapSeconds: 600 } } } }))).toEqual(['regular_interarrival']);
  });

  it('reads its CV limit and run length from the policy', () => {
    const rnd = new Random(3);
    // ±20 % jitter: CV about 0.12, above the default limit.
    const calls = Array.from({ length: 60 }, (_, i) => callEvent('jittery', T0 + i * 20 * SECOND + rnd.int(-4000, 4001)));
    expect(run(calls)).toEqual([]);
    expect(rules(run(calls, { rules: { regular_interarrival: { params: { maxCv: 0.2 } } } }))).toEqual(['regular_interarrival']);
    const fewer = calls.slice(0, 12);
    expect(rules(run(fewer, { rules: { regular_interarrival: { params: { maxCv: 0.2, minEvents: 10 } } } }))).toEqual(['regular_interarrival']);
  });

  it('counts regular runs against the threshold: one long run is one run', () => {
    const policy = { rules: { regular_interarrival: { threshold: 1 } } };
    const regular = (from: number, n: number): CallEvent[] => Array.from({ length: n }, (_, i) => callEvent('runs', from + i * 12 * SECOND));
    expect(run(regular(T0, 200), policy)).toEqual([]);
    const rnd = new Random(19);
    const pause = times(T0 + HOUR, T0 + 2 * HOUR, () => rnd.int(30, 600) * SECOND).map((t) => callEvent('runs', t));
    const two = run([...regular(T0, 40), ...pause, ...regular(T0 + 3 * HOUR, 40)], policy);
    expect(two.map((v) => [v.rule, v.metrics.regularRuns, v.detectedAt])).toEqual([['regular_interarrival', 2, T0 + 3 * HOUR + 29 * 12 * SECOND]]);
  });

  it('keeps calls and messages apart: irregular texting does not hide a regular dialler', () => {
    const rnd = new Random(5);
    const calls = Array.from({ length: 30 }, (_, i) => callEvent('mixed', T0 + i * 15 * SECOND));
    const texts = messages('mixed', times(T0, T0 + 8 * MINUTE, () => rnd.int(3, 90) * SECOND));
    expect(rules(run([...calls, ...texts]))).toEqual(['regular_interarrival']);
  });

  it('reports an event older than the last of its kind as late', () => {
    const late: string[] = [];
    const observer = { ...NOOP_OBSERVER, late: (_d: string, rule: string) => late.push(rule) };
    const pipeline = buildPipeline(compilePolicy(undefined, AUTOMATED_ORIGINATION_RULES), DEFAULT_PIPELINE_SETTINGS, observer, [automatedOrigination]);
    pipeline.process(callEvent('a', T0 + 10 * SECOND), 0);
    pipeline.process(callEvent('a', T0 + 5 * SECOND), 0);
    expect(late).toEqual(['regular_interarrival']);
  });
});

describe('AUTOMATED_ORIGINATION: sustained_origination_rate', () => {
  /** `perMinute` originations in each of `minutes` minutes, spread unevenly inside each minute. */
  const sustained = (account: string, perMinute: number, minutes: number, rnd: Random): MessageEvent[] =>
    messages(
      account,
      Array.from({ length: minutes }, (_, m) => Array.from({ length: perMinute }, () => T0 + m * MINUTE + rnd.int(0, MINUTE))).flat(),
    );

  it('flags 12 messages a minute held for 25 minutes, when the 21st busy minute fills', () => {
    const events = sustained('chat-bot', 12, 25, new Random(2));
    const found = run(events).filter((v) => v.rule === 'sustained_origination_rate');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'high',
      action: 'throttle',
      windowStart: T0,
      windowEnd: T0 + 21 * MINUTE,
      metrics: { consecutiveBusyMinutes: 21, events: 20 * 12 + 10 },
      thresholds: { consecutiveBusyMinutes: 20, perMinute: 10 },
    });
    const v = found[0] as Violation;
    expect(v.detectedAt).toBeGreaterThanOrEqual(T0 + 20 * MINUTE);
    expect(v.detectedAt).toBeLessThan(v.windowEnd);
    expect(v.evidence).toHaveLength(10);
  });

  it('allows 20 busy minutes, and a break in the run starts it over', () => {
    expect(run(sustained('twenty', 12, 20, new Random(4)))).toEqual([]);
    const broken = sustained('broken', 12, 30, new Random(4)).filter((e) => e.eventTime < T0 + 15 * MINUTE || e.eventTime >= T0 + 16 * MINUTE);
    expect(run(broken).filter((v) => v.rule === 'sustained_origination_rate')).toEqual([]);
  });

  it('reports a run that goes on once per hour', () => {
    const found = run(sustained('all-morning', 12, 90, new Random(6))).filter((v) => v.rule === 'sustained_origination_rate');
    expect(found.map((v) => [v.windowStart, v.metrics.consecutiveBusyMinutes])).toEqual([
      [T0, 21],
      [T0, 61],
    ]);
  });

  it('spares a heavy texter whose bursts reach the rate for a few minutes only', () => {
    expect(run(burstyTexter('texter', new Random(13), T0, 12))).toEqual([]);
  });
});

describe('AUTOMATED_ORIGINATION: no_diurnal_rest', () => {
  const activeHours = (account: string, hours: number, perHour: number, rnd: Random): MessageEvent[] =>
    messages(account, Array.from({ length: hours }, (_, h) => Array.from({ length: perHour }, () => T0 + h * HOUR + rnd.int(0, HOUR))).flat(), { originChannel: 'api' });

  it('flags an API bot active in every hour of a day, once for the day', () => {
    const events = activeHours('api-bot', 30, 6, new Random(8));
    const found = run(events).filter((v) => v.rule === 'no_diurnal_rest');
    expect(found).toHaveLength(1);
    const v = found[0] as Violation;
    expect(v).toMatchObject({ severity: 'medium', action: 'throttle', metrics: { activeHours: 22 }, thresholds: { activeHours: 21, perHour: 2 } });
    expect(v.windowEnd - v.windowStart).toBe(DAY);
    expect(v.windowEnd).toBe(T0 + 22 * HOUR);
    expect(v.detectedAt).toBeGreaterThanOrEqual(T0 + 21 * HOUR);
  });

  it('allows 21 active hours, and does not count an hour with a single origination', () => {
    expect(run(activeHours('owl', 21, 6, new Random(9)))).toEqual([]);
    // One message an hour all day, and a second in the last hour: a single active hour.
    const trickle = activeHours('trickle', 24, 1, new Random(9));
    expect(run([...trickle, messageEvent('trickle', T0 + 23 * HOUR + 59 * MINUTE)])).toEqual([]);
  });

  it('spares a night-shift worker active for 12 hours', () => {
    const rnd = new Random(10);
    const shift = T0 + 11 * HOUR;
    const events = [...messages('night-shift', times(shift, shift + 12 * HOUR, () => rnd.int(2, 20) * MINUTE)), ...heavyHumanCaller('night-shift', rnd).map((e) => ({ ...e, eventTime: e.eventTime + 11 * HOUR }))];
    expect(run(events)).toEqual([]);
  });
});

describe('AUTOMATED_ORIGINATION: short_answered_calls', () => {
  it('flags more than 30 answered calls under 6 s in an hour, on the 31st', () => {
    const rnd = new Random(12);
    const starts = times(T0, T0 + HOUR - MINUTE, () => rnd.int(30, 120) * SECOND);
    const events = starts.flatMap((t, i) => call('pinger', t, i, rnd.int(1000, 5500)));
    const found = run(events);
    expect(rules(found)).toEqual(['short_answered_calls']);
    const ends = events.filter((e) => e.phase === 'end');
    expect(found[0]).toMatchObject({
      severity: 'medium',
      action: 'throttle',
      windowStart: T0,
      windowEnd: T0 + HOUR,
      detectedAt: ends[30]?.eventTime,
      metrics: { shortAnsweredCalls: 31 },
      thresholds: { shortAnsweredCalls: 30, shortCallSeconds: 6 },
    });
    expect(found[0]?.evidence).toEqual(ends.slice(21, 31).map((e) => e.eventId));
  });

  it('counts neither unanswered calls nor calls of 6 s or more', () => {
    const unanswered = Array.from({ length: 60 }, (_, i) => call('unanswered', T0 + i * 50 * SECOND + (i % 7) * 3000, i, undefined)).flat();
    const sixSeconds = Array.from({ length: 60 }, (_, i) => call('six', T0 + i * 50 * SECOND + (i % 7) * 3000, i, 6000)).flat();
    expect(run([...unanswered, ...sixSeconds])).toEqual([]);
  });

  it('spares a person leaving a few quick calls and voicemails', () => {
    const rnd = new Random(14);
    const events = Array.from({ length: 8 }, (_, i) => call('quick', T0 + i * 6 * MINUTE + rnd.int(0, 3 * MINUTE), i, rnd.int(2000, 5000))).flat();
    expect(run(events)).toEqual([]);
  });
});

describe('AUTOMATED_ORIGINATION: api_originations_per_hour', () => {
  const apiMessages = (account: string, count: number, rnd: Random): MessageEvent[] =>
    messages(account, Array.from({ length: count }, () => T0 + rnd.int(0, HOUR)), { originChannel: 'api' });

  it('flags more than 300 API calls and messages in an hour', () => {
    const rnd = new Random(15);
    const events: TelemetryEvent[] = [...apiMessages('blaster', 250, rnd), ...Array.from({ length: 60 }, () => callEvent('blaster', T0 + rnd.int(0, HOUR), { originChannel: 'api' }))];
    const found = run(events).filter((v) => v.rule === 'api_originations_per_hour');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'medium', action: 'warn', windowStart: T0, windowEnd: T0 + HOUR, metrics: { apiOriginations: 301 }, thresholds: { apiOriginations: 300 } });
  });

  it('counts API call starts only, not their answer and end', () => {
    const rnd = new Random(16);
    const events = Array.from({ length: 160 }, (_, i) => call('api-caller', T0 + rnd.int(0, 50 * MINUTE), i, 60_000, { originChannel: 'api' })).flat();
    expect(events).toHaveLength(480);
    expect(run(events)).toEqual([]);
  });

  it('spares a business using the API moderately, and ignores app traffic', () => {
    const rnd = new Random(17);
    // Transactional messages as customers act: irregular, about two a minute over a working day.
    const business = messages('shop', times(T0, T0 + 9 * HOUR, () => rnd.int(1, 60) * SECOND), { originChannel: 'api' });
    expect(business.length).toBeGreaterThan(1000);
    expect(run(business)).toEqual([]);
    expect(run(apiMessages('app-user', 400, rnd).map((e) => ({ ...e, originChannel: 'app' as const })))).toEqual([]);
  });

  it('follows the tier of the account', () => {
    const policy = { tiers: { business: { accountPrefixes: ['biz-'], rules: { api_originations_per_hour: { threshold: 5000 } } } } };
    const rnd = new Random(18);
    expect(run(apiMessages('biz-shop', 400, rnd), policy)).toEqual([]);
    expect(rules(run(apiMessages('acct-1', 400, rnd), policy))).toEqual(['api_originations_per_hour']);
  });
});

describe('AUTOMATED_ORIGINATION: rules switched off', () => {
  it('evaluates nothing for a rule in mode off', () => {
    const calls = Array.from({ length: 40 }, (_, i) => callEvent('dialler', T0 + i * 12 * SECOND));
    expect(run(calls, { rules: { regular_interarrival: { mode: 'off' } } })).toEqual([]);
  });

  it('keeps state per account within its bounds', () => {
    const data = automatedOrigination.codec!.encode(automatedOrigination.createState()) as AutomatedOriginationData;
    expect(data.calls).toBeNull();
    expect(data.activity).toBeNull();
    expect(automatedOrigination.stateTtlMs(compilePolicy(undefined, AUTOMATED_ORIGINATION_RULES))).toBe(DAY);
  });
});
