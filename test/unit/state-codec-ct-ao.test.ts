import { automatedOrigination, type AutomatedOriginationState } from '../../src/detectors/automated-origination';
import type { AutomatedOriginationData } from '../../src/detectors/automated-origination/codec';
import { AUTOMATED_ORIGINATION_RULES } from '../../src/detectors/automated-origination/rules';
import { connectionTime, type ConnectionTimeState } from '../../src/detectors/connection-time';
import type { ConnectionTimeData } from '../../src/detectors/connection-time/codec';
import { CONNECTION_TIME_RULES } from '../../src/detectors/connection-time/rules';
import type { AnyDetector, Detector, DetectorContext, StateCodec } from '../../src/detectors/types';
import type { TelemetryEvent } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import type { RuleDefaults } from '../../src/policy/types';
import { assertPlainData, roundTrip } from '../helpers/codec-roundtrip';
import { callEvent, HOUR, messageEvent, MINUTE, T0 } from '../helpers/events';
import { scenario as aoScenario } from '../scenarios/automated-origination';
import { scenario as ctScenario } from '../scenarios/connection-time';

/**
 * The changelog's contract for connection_time and automated_origination: a
 * pipeline restored from a snapshot goes on exactly as the original, and each
 * codec gives plain data that decodes back to the same state.
 */
const SPLITS = [0.25, 0.5, 0.75];

/**
 * Both pipelines agree after each split (a fraction of the events). Returns
 * the rules that fired after some split: each rule must, or the test could
 * not see the codec lose that rule's state.
 */
function rulesAfterRestore(detector: AnyDetector, events: readonly TelemetryEvent[], splits: readonly number[]): string[] {
  const rules = new Set<string>();
  for (const split of splits) {
    const { original, restored } = roundTrip([detector], events, Math.floor(events.length * split));
    expect(restored).toEqual(original);
    for (const v of original) rules.add(v.rule);
  }
  return [...rules].sort();
}

/** The split that falls at event time `at`, as a fraction of the events. */
const splitAtTime = (events: readonly TelemetryEvent[], at: number): number => events.filter((e) => e.eventTime < at).length / events.length;

/** The detector's own callbacks with its default rules, no pipeline, every event into one state. */
function drive<S>(detector: Detector<S>, defaults: Readonly<Record<string, RuleDefaults>>, events: readonly TelemetryEvent[], state = detector.createState()): S {
  const policy = compilePolicy(undefined, defaults);
  for (const event of [...events].sort((a, b) => a.eventTime - b.eventTime)) {
    // No timers here: with the watermark a minute behind, each event runs the checks that came due (onEvent's catch-up).
    const ctx: DetectorContext = { policy, watermark: event.eventTime - MINUTE, rule: (name) => policy.rules[name], late: () => undefined, schedule: () => undefined };
    detector.onEvent(state, event, ctx);
  }
  return state;
}

/**
 * encode gives plain data, decode then encode gives it back, and neither the
 * data nor a state decoded from it moves with the live state. `state` must
 * have every field away from its initial value, or a field the codec drops
 * would go unseen.
 */
function expectFaithfulCodec<S>(codec: StateCodec<S>, state: S, moreEvents: (s: S) => void): void {
  const data = codec.encode(state);
  assertPlainData(data);
  const frozen = structuredClone(data);
  expect(codec.encode(codec.decode(structuredClone(data)))).toEqual(frozen);
  const decoded = codec.decode(data);
  moreEvents(state);
  expect(data).toEqual(frozen);
  expect(codec.encode(decoded)).toEqual(frozen);
  expect(codec.encode(state)).not.toEqual(frozen);
}

describe('connection_time state codec', () => {
  const codec = connectionTime.codec!;
  const ticks = (account: string, from: number, to: number, every: number): TelemetryEvent[] => {
    const out: TelemetryEvent[] = [];
    for (let t = from; t <= to; t += every) out.push(callEvent(account, t));
    return out;
  };
  const answered = (account: string, callId: string, at: number): TelemetryEvent[] => [callEvent(account, at - 8_000, { callId }), callEvent(account, at, { callId, phase: 'answer' })];
  const ended = (account: string, callId: string, at: number, connectedMs: number): TelemetryEvent =>
    callEvent(account, at, { callId, phase: 'end', disposition: 'answered', durationMs: connectedMs });

  it('restores the labelled personas at every split point', () => {
    // 300 events: a split every 5% is cheap, and finds calls open across it at every stage of the day.
    const splits = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);
    expect(rulesAfterRestore(connectionTime, ctScenario.personas(T0).flatMap((p) => p.events), splits)).toEqual(Object.keys(CONNECTION_TIME_RULES).sort());
  });

  it('still catches, after a restore, a call that was open at the snapshot and never ends (the wake-up is asked for again)', () => {
    // Only another account's events move the watermark past the limit: the caller sends nothing more.
    const events = [...answered('ct-codec-open', 'ct-codec-open-1', T0), ...ticks('ct-codec-clock', T0 + MINUTE, T0 + 5 * HOUR, 5 * MINUTE)];
    for (const split of SPLITS) {
      const { original, restored } = roundTrip([connectionTime], events, Math.floor(events.length * split));
      expect(original.map((v) => v.rule)).toEqual(['long_call']);
      expect(restored).toEqual(original);
    }
  });

  it('still catches calls held at once across a restore', () => {
    const bank = [0, 1, 2, 3].flatMap((n) => answered('ct-codec-bank', `ct-codec-bank-${n}`, T0 + n * 10_000));
    const events = [...bank, ...ticks('ct-codec-clock', T0 + MINUTE, T0 + HOUR, MINUTE)];
    // Split right after the answers, before the watermark reaches the moment the 4th call has been held minHeldSeconds.
    const { original, restored } = roundTrip([connectionTime], events, bank.length);
    expect(original.map((v) => v.rule)).toEqual(['concurrent_calls']);
    expect(restored).toEqual(original);
  });

  it('encodes plain data that decodes to the same state, copied from the live one', () => {
    const account = 'ct-codec-direct';
    // Four calls up for hours: all three rules fire; then one ends and another starts.
    const events = [...['a', 'b', 'c', 'd'].flatMap((id, i) => answered(account, id, T0 + i * MINUTE)), ended(account, 'a', T0 + 5 * HOUR, 5 * HOUR), ...answered(account, 'e', T0 + 5 * HOUR + MINUTE)];
    const state: ConnectionTimeState = drive(connectionTime, CONNECTION_TIME_RULES, events);
    // Read through the record: it spells the row out field by field.
    const d = codec.encode(state) as ConnectionTimeData;
    expect(d.open.map((c) => c.callId)).toEqual(['b', 'c', 'd', 'e']);
    expect(d.open.map((c) => c.longChecked)).toEqual([true, true, true, false]);
    expect(d.recentlyEnded).toEqual(['a']);
    expect([d.longCall.fired, d.concurrent.fired, d.daily.fired]).toEqual([true, true, true]);
    expect(d.daily.closedMs).toBeGreaterThan(0);
    expect(d.endedEvidence.ids).toHaveLength(1);
    expect(Number.isFinite(d.wakeAt)).toBe(true);
    expectFaithfulCodec(codec, state, (s) => drive(connectionTime, CONNECTION_TIME_RULES, [ended(account, 'b', T0 + 6 * HOUR, 6 * HOUR), ...answered(account, 'f', T0 + 6 * HOUR + MINUTE)], s));
  });

  it('keeps a fresh state as it is', () => {
    const fresh = connectionTime.createState();
    const data = codec.encode(fresh);
    assertPlainData(data);
    expect(codec.encode(codec.decode(structuredClone(data)))).toEqual(data);
  });

  it('refuses data it did not write', () => {
    expect(() => codec.decode({ v: 2 })).toThrow(TypeError);
    expect(() => codec.decode(null)).toThrow(TypeError);
  });
});

describe('automated_origination state codec', () => {
  const codec = automatedOrigination.codec!;
  const personas = aoScenario.personas(T0);
  const persona = (suffix: string): TelemetryEvent[] => personas.find((p) => p.accountId === `automated-origination-${suffix}`)?.events ?? [];

  it('restores the labelled personas at every split point', () => {
    const events = personas.flatMap((p) => p.events);
    // Split points by time, inside each abusive run: the robodialler (hours 1 to 3, regular from about 1:06), the chat bot's
    // sustained rate (5:00 to 5:45, reported at about 5:21), the API bot's diurnal finding (about hour 22).
    const times = [1.05, 1.5, 2, 5.2, 5.5, 6, 12, 18, 23].map((h) => T0 + h * HOUR);
    const splits = [...times.map((t) => splitAtTime(events, t)), ...SPLITS];
    expect(rulesAfterRestore(automatedOrigination, events, splits)).toEqual(Object.keys(AUTOMATED_ORIGINATION_RULES).sort());
  });

  it('keeps a machine-regular run going across a restore (the gap ring is in the snapshot)', () => {
    // 40 calls 30 s apart: regular_interarrival needs 30 in a row, so a split before the 30th leaves the run half-seen.
    const events = Array.from({ length: 40 }, (_, i) => callEvent('ao-codec-dialler', T0 + i * 30_000));
    for (const splitAt of [10, 20, 28]) {
      const { original, restored } = roundTrip([automatedOrigination], events, splitAt);
      expect(original.map((v) => v.rule)).toEqual(['regular_interarrival']);
      expect(restored).toEqual(original);
    }
  });

  it('encodes plain data that decodes to the same state, copied from the live one', () => {
    // Three abusive personas into one state, up to 23:00: every rule has fired, so every field is away from its start.
    const events = ['robodialler', 'chat-bot', 'api-bot'].flatMap(persona).filter((e) => e.eventTime < T0 + 23 * HOUR);
    const state: AutomatedOriginationState = drive(automatedOrigination, AUTOMATED_ORIGINATION_RULES, events);
    // Read through the record: it spells the row out part by part.
    const d = codec.encode(state) as AutomatedOriginationData;
    expect(d.lastMessageId).not.toBeNull();
    expect(d.rate?.runMinutes).toBeGreaterThan(0);
    expect(Number.isFinite(d.rate?.reportedWindow)).toBe(true);
    expect(Number.isFinite(d.activity?.reportedUntil)).toBe(true);
    expect(d.calls?.gaps.gaps.length).toBeGreaterThan(0);
    expect(Number.isFinite(d.calls?.runCountedIn)).toBe(true);
    expect(d.messages?.gaps.gaps.length).toBeGreaterThan(0);
    expect(d.spacing?.fired).toBe(true);
    expect(d.api?.fired).toBe(true);
    expect(d.shortCalls?.fired).toBe(true);
    expect(d.evidence.ids.length).toBeGreaterThan(0);
    const later = [callEvent('ao-codec-direct', T0 + 23 * HOUR, { originChannel: 'api' }), messageEvent('ao-codec-direct', T0 + 23 * HOUR + MINUTE, { originChannel: 'api' })];
    expectFaithfulCodec(codec, state, (s) => drive(automatedOrigination, AUTOMATED_ORIGINATION_RULES, later, s));
  });

  it('keeps the parts not made yet absent', () => {
    const fresh = automatedOrigination.createState();
    const data = codec.encode(fresh);
    assertPlainData(data);
    expect(codec.decode(structuredClone(data)).view()).toEqual(fresh.view());
  });

  it('refuses data it did not write', () => {
    expect(() => codec.decode({ v: 2 })).toThrow(TypeError);
    expect(() => codec.decode('state')).toThrow(TypeError);
    // A version 2 record: its cadences have no latest time, so it is refused rather than misread.
    const v2 = { ...(structuredClone(codec.encode(drive(automatedOrigination, AUTOMATED_ORIGINATION_RULES, [callEvent('ao-codec-v2', T0)]))) as object), v: 2 };
    expect(() => codec.decode(v2)).toThrow(TypeError);
    // A gap ring whose position points outside its buffer would read past it.
    const state = drive(automatedOrigination, AUTOMATED_ORIGINATION_RULES, [callEvent('ao-codec-bad', T0), callEvent('ao-codec-bad', T0 + MINUTE)]);
    const data = structuredClone(codec.encode(state)) as { calls: { gaps: { next: number } } };
    data.calls.gaps.next = 64;
    expect(() => codec.decode(data)).toThrow(RangeError);
  });
});
