import { defaultRules } from '../../src/detectors';
import { impersonation } from '../../src/detectors/impersonation';
import { incomeGeneration, type IncomeGenerationState } from '../../src/detectors/income-generation';
import { destinationRange } from '../../src/detectors/income-generation/ranges';
import { EVIDENCE_SAMPLE, MAX_HISTORY_DAYS, MAX_HISTORY_RANGES } from '../../src/detectors/income-generation/rules';
import { personalData } from '../../src/detectors/personal-data';
import type { Detector, DetectorContext, Finding, StateCodec } from '../../src/detectors/types';
import { windowStart } from '../../src/engine/window';
import type { CallEvent, TelemetryEvent } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import type { Policy, RuleConfig } from '../../src/policy/types';
import { assertPlainData } from '../helpers/codec-roundtrip';
import { callEvent, HOUR, messageEvent, MINUTE, reportEvent, T0 } from '../helpers/events';
import { detectorContext } from '../helpers/detector-context';

/**
 * The states of INCOME_GENERATION, IMPERSONATION and PERSONAL_DATA_SHARING
 * are created part by part on first need, and new_range_surge's history is
 * packed into flat arrays (heap per active account). Here: what an everyday
 * account holds, that fresh and partly created states round-trip through
 * their codecs, that every per-account collection stays bounded, and that the
 * packed range history decides exactly as the object-per-range one it
 * replaced (a reference model of it below).
 */
interface Run<S> {
  state: S;
  findings: Finding[];
  late: string[];
}

const contextFor = (policy: Policy, late: string[]): DetectorContext => detectorContext(policy, '', { late: (rule) => void late.push(rule) });

function run<S>(detector: Detector<S>, events: readonly TelemetryEvent[], rawPolicy?: unknown): Run<S> {
  const late: string[] = [];
  const ctx = contextFor(compilePolicy(rawPolicy, defaultRules([detector])), late);
  const state = detector.createState();
  const findings = events.filter((e) => detector.eventTypes.includes(e.type)).flatMap((e) => detector.onEvent(state, e, ctx));
  return { state, findings, late };
}

function codecOf<S>(detector: Detector<S>): StateCodec<S> {
  if (!detector.codec) throw new Error(`${detector.name} has no codec`);
  return detector.codec;
}

/** encode → structured clone → decode gives an equal state, and re-encodes to the same record. */
function expectRoundTrip<S>(detector: Detector<S>, state: S): void {
  const codec = codecOf(detector);
  const data = codec.encode(state);
  assertPlainData(data);
  const back = codec.decode(structuredClone(data));
  expect(back).toStrictEqual(state);
  expect(codec.encode(back)).toStrictEqual(data);
}

/** The bench's account: one call to an ordinary number (start, answer, end) and two messages without text. */
function everyday(accountId: string): TelemetryEvent[] {
  const start = callEvent(accountId, T0, { phase: 'start' });
  return [
    start,
    callEvent(accountId, T0 + 2_000, { callId: start.callId, phase: 'answer' }),
    callEvent(accountId, T0 + 60_000, { callId: start.callId, phase: 'end', disposition: 'answered', durationMs: 58_000 }),
    messageEvent(accountId, T0 + 70_000),
    messageEvent(accountId, T0 + 70_001),
  ];
}

describe('state created on first need', () => {
  it('a fresh state holds nothing and round-trips', () => {
    expect(incomeGeneration.createState()).toStrictEqual({ ranges: undefined, rangeEvidence: undefined, highRisk: undefined });
    expect(impersonation.createState()).toStrictEqual({ rules: undefined });
    expect(personalData.createState()).toStrictEqual({ counters: [] });
    expectRoundTrip(incomeGeneration, incomeGeneration.createState());
    expectRoundTrip(impersonation, impersonation.createState());
    expectRoundTrip(personalData, personalData.createState());
  });

  it('fresh personal-data states share one frozen empty list instead of allocating their own', () => {
    const a = personalData.createState();
    const b = personalData.createState();
    expect(a.counters).toBe(b.counters);
    expect(Object.isFrozen(a.counters)).toBe(true);
    expect(codecOf(personalData).decode({}).counters).toBe(a.counters);
  });

  it('everyday traffic leaves impersonation and personal data empty, income generation with one range and one evidence id', () => {
    const events = everyday('mem-everyday');
    const ig = run(incomeGeneration, events);
    const imp = run(impersonation, events);
    const pd = run(personalData, events);
    expect([ig.findings, imp.findings, pd.findings]).toEqual([[], [], []]);
    expect(imp.state).toStrictEqual(impersonation.createState());
    expect(pd.state).toStrictEqual(personalData.createState());
    expect(ig.state.highRisk).toBeUndefined();
    // [windowStart, firedWindow, then one range: code, calls, lastSeen, windowCalls, evidence count].
    expect(ig.state.ranges).toEqual([windowStart(T0, HOUR), Number.NEGATIVE_INFINITY, 1212, 1, T0, 1, 1]);
    // One id is held as itself, not in an array.
    expect(ig.state.rangeEvidence).toBe(events[0]?.eventId);
    expectRoundTrip(incomeGeneration, ig.state);
  });

  it('creates only the part of the rule that counted, and round-trips the partly created state', () => {
    const hr = run(incomeGeneration, [messageEvent('mem-hr', T0, { to: '+449065551000' })]);
    expect(hr.state.highRisk).toStrictEqual({ repeatCalls: undefined, connected: undefined, messages: expect.anything() });
    expect(hr.state.ranges).toBeUndefined();
    expectRoundTrip(incomeGeneration, hr.state);

    const spoof = run(impersonation, [callEvent('mem-spoof', T0, { presentedCallerId: '+18005550001' })]);
    expect(spoof.state.rules).toStrictEqual({ presentedIds: expect.anything(), unattested: undefined, reporters: undefined });
    expectRoundTrip(impersonation, spoof.state);
    const reported = run(impersonation, [reportEvent('mem-rep', T0, { reason: 'impersonation' })]);
    expect(reported.state.rules).toStrictEqual({ presentedIds: undefined, unattested: undefined, reporters: expect.anything() });
    expectRoundTrip(impersonation, reported.state);
    // A rule that is off creates nothing.
    const off = run(impersonation, [callEvent('mem-off', T0, { attestation: 'C' })], { rules: { unattested_calls: { mode: 'off' } } });
    expect(off.state).toStrictEqual(impersonation.createState());

    const card = run(personalData, [messageEvent('mem-card', T0, { text: 'pin: 4821' })]);
    expect(card.state.counters.map((c) => c?.count)).toEqual([undefined, undefined, 1]);
    expect(card.findings.map((f) => f.rule)).toEqual(['credential_shared']);
    expectRoundTrip(personalData, card.state);
  });

  it('a restored partly created state goes on as the live one', () => {
    const events: TelemetryEvent[] = [
      ...Array.from({ length: 4 }, (_, i) => callEvent('mem-mix', T0 + i * MINUTE, { presentedCallerId: `+1800555000${i}`, attestation: i % 2 === 0 ? 'C' : 'A' })),
      ...Array.from({ length: 3 }, (_, i) => reportEvent('mem-mix', T0 + (10 + i) * MINUTE, { reason: 'impersonation', reporterNumber: `+1212555030${i}` })),
    ];
    for (let at = 0; at <= events.length; at++) {
      const live = run(impersonation, events.slice(0, at));
      const restored = codecOf(impersonation).decode(structuredClone(codecOf(impersonation).encode(live.state)));
      const ctx = contextFor(compilePolicy(undefined, defaultRules([impersonation])), []);
      const after = events.slice(at);
      const a = after.flatMap((e) => impersonation.onEvent(live.state, e, ctx));
      const b = after.flatMap((e) => impersonation.onEvent(restored, e, ctx));
      expect({ at, findings: b }).toEqual({ at, findings: a });
    }
  });
});

describe('bounds', () => {
  it('keeps at most MAX_HISTORY_RANGES ranges and EVIDENCE_SAMPLE ids per range, however many rare calls', () => {
    // 80 ranges, each dialled 15 times inside one window: every call is to a rare range.
    const events = Array.from({ length: 80 * 15 }, (_, i) => callEvent('mem-bounds', T0 + i * 1_000, { to: `+1${String(200 + (i % 80))}5550100`, phase: 'start' }));
    const { state } = run(incomeGeneration, events, { rules: { new_range_surge: { threshold: 1000 } } });
    const table = state.ranges ?? [];
    const ranges = (table.length - 2) / 5;
    expect(ranges).toBe(MAX_HISTORY_RANGES);
    const ids = Array.isArray(state.rangeEvidence) ? state.rangeEvidence : [];
    expect(ids.length).toBeLessThanOrEqual(MAX_HISTORY_RANGES * EVIDENCE_SAMPLE);
    for (let r = 2; r < table.length; r += 5) expect(table[r + 4]).toBeLessThanOrEqual(EVIDENCE_SAMPLE);
    expect(ids.length).toBe(table.filter((_, i) => i >= 2 && (i - 2) % 5 === 4).reduce((a, b) => a + b, 0));
    expectRoundTrip(incomeGeneration, state);
  });
});

describe('range history horizon', () => {
  const policy = { rules: { new_range_surge: { params: { historyDays: 1 } } } };
  const dial = (at: number, to = '+14155550100'): CallEvent => callEvent('mem-horizon', at, { to, phase: 'start' });
  const callsTo1415 = (s: IncomeGenerationState): number | undefined => {
    const t = s.ranges ?? [];
    for (let r = 2; r < t.length; r += 5) if (t[r] === 1415) return t[r + 1];
    return undefined;
  };

  it('remembers a range last called exactly historyDays before, and forgets it a millisecond later', () => {
    const kept = run(incomeGeneration, [dial(T0), dial(T0 + 1_000, '+12125550101'), dial(T0 + 24 * HOUR, '+12125550101')], policy);
    expect(callsTo1415(kept.state)).toBe(1);
    const forgotten = run(incomeGeneration, [dial(T0), dial(T0 + 1_000, '+12125550101'), dial(T0 + 24 * HOUR + 1, '+12125550101')], policy);
    expect(callsTo1415(forgotten.state)).toBeUndefined();
    expectRoundTrip(incomeGeneration, kept.state);
    expectRoundTrip(incomeGeneration, forgotten.state);
  });
});

// ---------------------------------------------------------------- reference model

/** new_range_surge as it was written before the packing: one object per range, reset lazily. */
class ReferenceSurge {
  private entries: { range: string; calls: number; lastSeen: number; windowStart: number; windowCalls: number; evidence: string[] }[] = [];
  private windowStart = Number.NEGATIVE_INFINITY;
  private firedWindow = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly config: RuleConfig,
    private readonly p: { historyDays: number; rareCalls: number; minHistoryCalls: number },
  ) {}

  onCallStart(e: CallEvent): { late: boolean; finding?: { windowStart: number; metrics: Record<string, number>; evidence: string[] } } {
    const range = destinationRange(e.to);
    if (range === undefined) return { late: false };
    const historyMs = Math.min(this.p.historyDays, MAX_HISTORY_DAYS) * 24 * HOUR;
    this.entries = this.entries.filter((x) => x.lastSeen >= e.eventTime - historyMs);
    let entry = this.entries.find((x) => x.range === range);
    if (!entry) {
      entry = { range, calls: 0, lastSeen: e.eventTime, windowStart: Number.NEGATIVE_INFINITY, windowCalls: 0, evidence: [] };
      if (this.entries.length >= MAX_HISTORY_RANGES) {
        let oldest = 0;
        this.entries.forEach((x, i) => {
          if (x.lastSeen < (this.entries[oldest]?.lastSeen ?? Number.POSITIVE_INFINITY)) oldest = i;
        });
        this.entries.splice(oldest, 1);
      }
      this.entries.push(entry);
    }
    entry.calls += 1;
    entry.lastSeen = Math.max(entry.lastSeen, e.eventTime);
    const start = windowStart(e.eventTime, this.config.windowMs);
    if (start < this.windowStart) return { late: true };
    this.windowStart = start;
    if (entry.windowStart < start) {
      entry.windowStart = start;
      entry.windowCalls = 0;
      entry.evidence = [];
    }
    entry.windowCalls += 1;
    const prior = (x: { windowStart: number; calls: number; windowCalls: number }): number => (x.windowStart === start ? x.calls - x.windowCalls : x.calls);
    const priorCalls = prior(entry);
    if (priorCalls > this.p.rareCalls) return { late: false };
    entry.evidence.push(e.eventId);
    if (entry.evidence.length > EVIDENCE_SAMPLE) entry.evidence.shift();
    if (this.firedWindow === start || entry.windowCalls <= this.config.threshold) return { late: false };
    const historyCalls = this.entries.reduce((sum, x) => sum + prior(x), 0);
    if (historyCalls < this.p.minHistoryCalls) return { late: false };
    this.firedWindow = start;
    return { late: false, finding: { windowStart: start, metrics: { newRangeCalls: entry.windowCalls, priorRangeCalls: priorCalls, historyCalls }, evidence: [...entry.evidence] } };
  }
}

describe('the packed range history decides as the object-per-range one', () => {
  const POLICIES = [
    { threshold: 20, windowMs: HOUR, params: { historyDays: 30, rareCalls: 2, minHistoryCalls: 10 } },
    { threshold: 12, windowMs: 10 * MINUTE, params: { historyDays: 1, rareCalls: 1, minHistoryCalls: 3 } },
    { threshold: 3, windowMs: 5 * MINUTE, params: { historyDays: 1, rareCalls: 0, minHistoryCalls: 0 } },
  ];

  it.each(POLICIES.map((p, i) => [i, p] as const))('policy %i, on random traffic with stragglers, ties, forgotten and evicted ranges', (_i, rule) => {
    let seed = 7 + _i;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const int = (n: number): number => Math.floor(rnd() * n);
    const policy = compilePolicy({ rules: { new_range_surge: rule } }, defaultRules([incomeGeneration]));
    const config = policy.rules.new_range_surge;
    if (!config) throw new Error('new_range_surge is off');
    let compared = 0;
    for (let account = 0; account < 60; account++) {
      const reference = new ReferenceSurge(config, rule.params);
      const late: string[] = [];
      const ctx = contextFor(policy, late);
      let state: IncomeGenerationState = incomeGeneration.createState();
      let t = T0;
      let burst = 0;
      let burstRanges: string[] = [];
      const want: unknown[] = [];
      const got: unknown[] = [];
      for (let i = 0; i < 400; i++) {
        if (burst === 0 && rnd() < 0.03) {
          // A burst into one range, most often one the account never called.
          burst = 15 + int(40);
          // Into one or two ranges at once: their evidence interleaves in the flat id list.
          burstRanges = Array.from({ length: 1 + int(2) }, () => `+1${300 + int(600)}`);
        }
        if (burst > 0) burst--;
        // Minute grid: equal lastSeen times (eviction ties) and calls exactly at the history horizon.
        t += burst > 0 ? int(2) * MINUTE : rnd() < 0.05 ? (1 + int(8)) * HOUR : int(8) * MINUTE;
        const at = rnd() < 0.06 ? t - int(180) * MINUTE : t;
        const to = burst > 0 ? `${burstRanges[int(burstRanges.length)] ?? ''}555${1000 + int(50)}` : rnd() < 0.4 ? `+1${200 + int(45)}5550100` : ['+12125550101', '+14155550100', '+44207183875', '+7495123456', '+28', 'bad'][int(6)] ?? '';
        const e = callEvent(`mem-ref-${account}`, at, { to, phase: 'start' });
        const expected = reference.onCallStart(e);
        const lateBefore = late.length;
        const found = incomeGeneration.onEvent(state, e, ctx);
        want.push({ i, late: expected.late, found: expected.finding ? [expected.finding] : [] });
        got.push({ i, late: late.length > lateBefore, found: found.map((f) => ({ windowStart: f.windowStart, metrics: f.metrics, evidence: f.evidence })) });
        compared += found.length;
        // Now and then through the codec, as after a restart.
        if (rnd() < 0.05) state = codecOf(incomeGeneration).decode(structuredClone(codecOf(incomeGeneration).encode(state)));
      }
      expect({ account, decisions: got }).toEqual({ account, decisions: want });
    }
    // Findings were made, so the comparison could fail on them.
    expect(compared).toBeGreaterThan(20);
  });
});
