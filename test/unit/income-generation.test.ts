import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import type { Finding } from '../../src/detectors/types';
import { incomeGeneration } from '../../src/detectors/income-generation';
import { destinationRange } from '../../src/detectors/income-generation/ranges';
import { INCOME_GENERATION_RULES } from '../../src/detectors/income-generation/rules';
import { NOOP_OBSERVER } from '../../src/engine/pipeline';
import type { CallEvent, TelemetryEvent, Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { callEvent, HOUR, messageEvent, MINUTE, T0 } from '../helpers/events';

const DAY = 24 * HOUR;

interface Run {
  violations: Violation[];
  /** Every finding, including those the enforcer held back (cooldown): what the detector itself reported. */
  findings: Finding[];
  late: string[];
}

function run(events: TelemetryEvent[], rawPolicy?: unknown): Run {
  const out: Run = { violations: [], findings: [], late: [] };
  const observer = { ...NOOP_OBSERVER, finding: (f: Finding) => void out.findings.push(f), late: (_d: string, rule: string) => void out.late.push(rule) };
  const pipeline = buildPipeline(compilePolicy(rawPolicy, INCOME_GENERATION_RULES), DEFAULT_PIPELINE_SETTINGS, observer, [incomeGeneration]);
  out.violations = events.flatMap((e) => pipeline.process(e, 0));
  return out;
}

const rules = (r: Run): string[] => r.findings.map((f) => f.rule);

/** The three phases of one call: dialled, connected after 10 s (unless unanswered), ended `durationMs` later. */
function call(accountId: string, at: number, to: string, durationMs: number): CallEvent[] {
  const start = callEvent(accountId, at, { to, phase: 'start' });
  const base = { to, callId: start.callId };
  if (durationMs === 0) return [start, callEvent(accountId, at + 30_000, { ...base, phase: 'end', disposition: 'no_answer', durationMs: 0 })];
  return [
    start,
    callEvent(accountId, at + 10_000, { ...base, phase: 'answer' }),
    callEvent(accountId, at + 10_000 + durationMs, { ...base, phase: 'end', disposition: 'answered', durationMs }),
  ];
}

const byTime = (events: TelemetryEvent[]): TelemetryEvent[] => [...events].sort((a, b) => a.eventTime - b.eventTime);
const answers = (events: TelemetryEvent[]): string[] => events.filter((e) => e.type === 'call' && e.phase === 'answer').map((e) => e.eventId);

/** `count` short calls to home numbers in San Francisco, an hour apart, the day before `T0`: an ordinary history. */
function homeHistory(accountId: string, count: number): TelemetryEvent[] {
  return Array.from({ length: count }, (_, i) => call(accountId, T0 - DAY + i * 20 * MINUTE, `+1415555${String(2000 + (i % 7))}`, 3 * MINUTE)).flat();
}

describe('destination ranges', () => {
  it('uses the country code, and the area code within +1', () => {
    expect(destinationRange('+14155550123')).toBe('+1415');
    expect(destinationRange('+12125550199')).toBe('+1212');
    expect(destinationRange('+442071838750')).toBe('+44');
    expect(destinationRange('+33142685300')).toBe('+33');
    expect(destinationRange('+79161234567')).toBe('+7');
    expect(destinationRange('+2348031234567')).toBe('+234');
    expect(destinationRange('+882130000001')).toBe('+882');
    expect(destinationRange('+639171234567')).toBe('+63');
    expect(destinationRange('0123')).toBeUndefined();
  });
});

describe('INCOME_GENERATION high_risk_repeat_calls', () => {
  it('flags repeated connections to two international-network numbers', () => {
    const events = [0, 1, 2, 3, 4].flatMap((i) => call('pumper', T0 + i * 20 * MINUTE, i % 2 === 0 ? '+882130000001' : '+882130000002', 2 * MINUTE));
    const r = run(events);
    expect(rules(r)).toEqual(['high_risk_repeat_calls']);
    expect(r.violations[0]).toMatchObject({
      category: 'INCOME_GENERATION',
      severity: 'medium',
      action: 'throttle',
      windowStart: T0 - 9 * HOUR,
      windowEnd: T0 + 15 * HOUR,
      metrics: { connectedCalls: 5, highRiskCalls: 5, highRiskNumbers: 2 },
      thresholds: { connectedCalls: 4, maxNumbers: 3 },
      evidence: answers(events),
    });
    expect(r.violations[0]?.detectedAt).toBe(T0 + 80 * MINUTE + 10_000);
  });

  it('fires once a day, and again the next day', () => {
    const day = (d: number): CallEvent[] => Array.from({ length: 12 }, (_, i) => call('pumper', T0 + d * DAY + i * 30 * MINUTE, '+882130000001', MINUTE)).flat();
    expect(rules(run([...day(0), ...day(1)]))).toEqual(['high_risk_repeat_calls', 'high_risk_repeat_calls']);
  });

  it('is not fooled by decoy numbers filling the per-number table', () => {
    const decoys = Array.from({ length: 40 }, (_, i) => call('decoy', T0 + i * MINUTE, `+88213${String(100000 + i)}`, 10_000)).flat();
    const pumped = Array.from({ length: 3 }, (_, i) => call('decoy', T0 + HOUR + i * 5 * MINUTE, '+882139999999', 10_000)).flat();
    const r = run(byTime([...decoys, ...pumped]));
    expect(rules(r)).toEqual(['high_risk_repeat_calls']);
    expect(r.findings[0]?.metrics).toMatchObject({ connectedCalls: 5, highRiskCalls: 43 });
  });

  it('spares one short call to a premium line', () => {
    expect(run(call('curious', T0, '+19005550123', 4 * MINUTE)).findings).toEqual([]);
  });

  it('spares redialling a busy phone-in line: only connected calls count', () => {
    const redials = Array.from({ length: 15 }, (_, i) => call('fan', T0 + i * MINUTE, '+19005550177', 0)).flat();
    expect(run([...redials, ...call('fan', T0 + 20 * MINUTE, '+19005550177', 3 * MINUTE)]).findings).toEqual([]);
  });

  it('allows four connected calls to high-risk numbers a day', () => {
    const events = Array.from({ length: 4 }, (_, i) => call('a', T0 + i * HOUR, '+882130000001', 2 * MINUTE)).flat();
    expect(run(events).findings).toEqual([]);
  });

  it('honours a tier with its own maxNumbers and threshold', () => {
    const events = Array.from({ length: 8 }, (_, i) => call('biz-1', T0 + i * HOUR, '+882130000001', MINUTE)).flat();
    const policy = { tiers: { business: { accountPrefixes: ['biz-'], rules: { high_risk_repeat_calls: { threshold: 10, params: { maxNumbers: 1 } } } } } };
    expect(run(events, policy).findings).toEqual([]);
    expect(rules(run(events.map((e) => ({ ...e, accountId: 'consumer' })), policy))).toEqual(['high_risk_repeat_calls']);
  });
});

describe('INCOME_GENERATION high_risk_connected_minutes', () => {
  it('flags long connections to high-risk numbers, from end events', () => {
    const events = [...call('irsf', T0, '+882130000001', 20 * MINUTE), ...call('irsf', T0 + HOUR, '+88213000002', 21 * MINUTE)];
    const r = run(events);
    expect(rules(r)).toEqual(['high_risk_connected_minutes']);
    const ends = events.filter((e) => e.type === 'call' && e.phase === 'end').map((e) => e.eventId);
    expect(r.violations[0]).toMatchObject({
      severity: 'high',
      action: 'suspend',
      metrics: { connectedMinutes: 41, connectedCalls: 2 },
      thresholds: { connectedMinutes: 30 },
      evidence: ends,
      detectedAt: T0 + HOUR + 10_000 + 21 * MINUTE,
    });
  });

  it('allows 30 connected minutes, one short premium call, and unanswered calls', () => {
    expect(run(call('a', T0, '+449065550123', 30 * MINUTE)).findings).toEqual([]);
    expect(run(call('b', T0, '+449065550123', 5 * MINUTE)).findings).toEqual([]);
    expect(run(Array.from({ length: 4 }, (_, i) => call('c', T0 + i * HOUR, '+449065550123', 0)).flat()).findings).toEqual([]);
  });

  it('spares an expatriate calling family abroad every day for long', () => {
    // Philippines: +63 is not a high-risk range. Ninety minutes a day, every day for a week, plus local calls.
    const events = Array.from({ length: 7 }, (_, d) => [
      ...call('expat', T0 + d * DAY + 10 * HOUR, '+639171234567', 90 * MINUTE),
      ...call('expat', T0 + d * DAY + 2 * HOUR, '+14155550111', 5 * MINUTE),
      ...call('expat', T0 + d * DAY + 4 * HOUR, '+14155550112', 5 * MINUTE),
    ]).flat();
    expect(run(events).findings).toEqual([]);
  });
});

describe('INCOME_GENERATION high_risk_messages', () => {
  it('flags premium-rate messaging at volume', () => {
    const events = Array.from({ length: 12 }, (_, i) => messageEvent('smspump', T0 + i * MINUTE, { to: `+44906555${String(1000 + i)}` }));
    const r = run(events);
    expect(rules(r)).toEqual(['high_risk_messages']);
    expect(r.violations[0]).toMatchObject({ metrics: { highRiskMessages: 11 }, thresholds: { highRiskMessages: 10 }, evidence: events.slice(1, 11).map((e) => e.eventId) });
  });

  it('spares a person texting a premium vote line once or twice, and ordinary texts', () => {
    const votes = [messageEvent('voter', T0, { to: '+449065550100' }), messageEvent('voter', T0 + 40 * MINUTE, { to: '+449065550100' })];
    const chat = Array.from({ length: 50 }, (_, i) => messageEvent('voter', T0 + i * MINUTE, { to: '+14155550123' }));
    expect(run(byTime([...votes, ...chat])).findings).toEqual([]);
  });
});

describe('INCOME_GENERATION new_range_surge', () => {
  const surge = (accountId: string, count: number, start: number): TelemetryEvent[] =>
    Array.from({ length: count }, (_, i) => call(accountId, start + i * 2 * MINUTE, `+23480312${String(10000 + i)}`, MINUTE)).flat();

  it('flags a burst of calls into a range the account never used', () => {
    const burst = surge('simbox', 25, T0 + HOUR);
    const r = run(byTime([...homeHistory('simbox', 30), ...burst]));
    expect(rules(r)).toEqual(['new_range_surge']);
    const starts = burst.filter((e) => e.type === 'call' && e.phase === 'start');
    expect(r.violations[0]).toMatchObject({
      severity: 'medium',
      action: 'throttle',
      windowStart: T0 + HOUR,
      windowEnd: T0 + 2 * HOUR,
      metrics: { newRangeCalls: 21, priorRangeCalls: 0, historyCalls: 30 },
      thresholds: { newRangeCalls: 20 },
      evidence: starts.slice(11, 21).map((e) => e.eventId),
      detectedAt: starts[20]?.eventTime,
    });
  });

  it('needs a history first: a new account has none', () => {
    expect(run(surge('fresh', 25, T0)).findings).toEqual([]);
    // Nine earlier calls are below minHistoryCalls (10).
    expect(run(byTime([...homeHistory('young', 9), ...surge('young', 25, T0)])).findings).toEqual([]);
  });

  it('spares a range the account already used more than rareCalls times', () => {
    const earlier = Array.from({ length: 3 }, (_, i) => call('diaspora', T0 - DAY + 12 * HOUR + i * HOUR, '+2348031299999', 20 * MINUTE)).flat();
    expect(run(byTime([...homeHistory('diaspora', 30), ...earlier, ...surge('diaspora', 25, T0 + HOUR)])).findings).toEqual([]);
  });

  it('spares a traveller making a few calls in a new country', () => {
    // Lands in Paris: taxis, hotel, restaurants; at most a handful an hour, all day.
    const paris = Array.from({ length: 18 }, (_, i) => call('traveller', T0 + Math.floor(i / 3) * HOUR + (i % 3) * 12 * MINUTE, `+3314268${String(5300 + i)}`, 2 * MINUTE)).flat();
    expect(run(byTime([...homeHistory('traveller', 30), ...paris])).findings).toEqual([]);
  });

  it('counts per range: calls spread over many new area codes are not a surge', () => {
    const areaCodes = Array.from({ length: 30 }, (_, i) => call('sales', T0 + i * 2 * MINUTE, `+1${String(300 + i * 7)}5550100`, MINUTE)).flat();
    expect(run(byTime([...homeHistory('sales', 30), ...areaCodes])).findings).toEqual([]);
  });

  it('fires at most once per window, and not again once the range is history', () => {
    const events = byTime([...homeHistory('simbox', 30), ...surge('simbox', 25, T0), ...surge('simbox', 25, T0 + HOUR)]);
    expect(rules(run(events))).toEqual(['new_range_surge']);
  });

  it('reports a call whose window is gone as late, still as history', () => {
    const later = callEvent('a', T0 + 2 * HOUR, { to: '+14155550100' });
    const early = callEvent('a', T0 + 2 * HOUR - 30_000 - HOUR, { to: '+14155550100' });
    expect(run([later, early]).late).toEqual(['new_range_surge']);
  });
});

describe('INCOME_GENERATION policy', () => {
  const pump = (to: string): TelemetryEvent[] => Array.from({ length: 6 }, (_, i) => call('acct', T0 + i * HOUR, to, 8 * MINUTE)).flat();

  it('uses the policy high-risk prefixes in place of the defaults', () => {
    const policy = { highRiskPrefixes: [{ prefix: '+4420', label: 'test revenue share' }] };
    expect(rules(run(pump('+442071838750'), policy))).toEqual(['high_risk_connected_minutes', 'high_risk_repeat_calls']);
    expect(run(pump('+882130000001'), policy).findings).toEqual([]);
    expect(run(pump('+442071838750')).findings).toEqual([]);
  });

  it('never counts allow-listed destinations', () => {
    const policy = { allow: { destinations: ['+882130000001', '+2348031200000'] } };
    expect(run(pump('+882130000001'), policy).findings).toEqual([]);
    expect(rules(run(pump('+882130000002'), policy))).toEqual(['high_risk_connected_minutes', 'high_risk_repeat_calls']);
    const messages = Array.from({ length: 12 }, (_, i) => messageEvent('acct', T0 + i * MINUTE, { to: '+882130000001' }));
    expect(run(messages, policy).findings).toEqual([]);
    const toAllowed = Array.from({ length: 25 }, (_, i) => call('acct', T0 + HOUR + i * 2 * MINUTE, '+2348031200000', MINUTE)).flat();
    expect(run(byTime([...homeHistory('acct', 30), ...toAllowed]), policy).findings).toEqual([]);
  });

  it('evaluates nothing for a rule that is off', () => {
    expect(run(pump('+882130000001'), { rules: { high_risk_repeat_calls: { mode: 'off' } } }).findings.map((f) => f.rule)).toEqual(['high_risk_connected_minutes']);
  });

  it('keeps state for the range history, not only the longest window', () => {
    expect(incomeGeneration.stateTtlMs(compilePolicy(undefined, INCOME_GENERATION_RULES))).toBe(30 * DAY);
    expect(incomeGeneration.stateTtlMs(compilePolicy({ rules: { new_range_surge: { params: { historyDays: 7 } } } }, INCOME_GENERATION_RULES))).toBe(7 * DAY);
    expect(incomeGeneration.stateTtlMs(compilePolicy({ rules: { new_range_surge: { mode: 'off' } } }, INCOME_GENERATION_RULES))).toBe(DAY);
    expect(incomeGeneration.stateTtlMs(compilePolicy({ rules: { new_range_surge: { params: { historyDays: 10_000 } } } }, INCOME_GENERATION_RULES))).toBe(90 * DAY);
  });
});
