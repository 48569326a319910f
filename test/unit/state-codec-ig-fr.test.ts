import { isDeepStrictEqual } from 'node:util';
import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { defaultRules } from '../../src/detectors';
import { fraudulentRegistrationByDevice, fraudulentRegistrationByIp, fraudulentRegistrationByNumber, FRAUDULENT_REGISTRATION_DETECTORS } from '../../src/detectors/fraudulent-registration';
import { incomeGeneration } from '../../src/detectors/income-generation';
import type { AnyDetector, DetectorContext, Finding } from '../../src/detectors/types';
import { NOOP_OBSERVER } from '../../src/engine/pipeline';
import type { CallEvent, RegistrationEvent, TelemetryEvent, Verification, Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { assertPlainData, roundTrip } from '../helpers/codec-roundtrip';
import { callEvent, HOUR, messageEvent, MINUTE, registrationEvent, T0 } from '../helpers/events';
import { scenario as incomeScenario } from '../scenarios/income-generation';
import { scenario as registrationScenario } from '../scenarios/fraudulent-registration';
import { detectorContext } from '../helpers/detector-context';

/**
 * State codecs of INCOME_GENERATION and FRAUDULENT_REGISTRATION: a pipeline
 * restored from a snapshot (through structured clone) must go on exactly as
 * the original did. Purpose-built traffic is split after every event, so each
 * field is caught mid-window: a burst half counted, a finding already made.
 */
const byTime = (events: readonly TelemetryEvent[]): TelemetryEvent[] => [...events].sort((a, b) => a.eventTime - b.eventTime);
const quarters = (n: number): number[] => [0.25, 0.5, 0.75].map((f) => Math.floor(n * f));
const everySplit = (n: number): number[] => Array.from({ length: n - 1 }, (_, i) => i + 1);
/** About `count` split points spread evenly: enough to land inside every burst of a long scenario. */
const spread = (n: number, count: number): number[] => [...new Set(Array.from({ length: count }, (_, i) => Math.floor(((i + 1) * n) / (count + 1))))];

interface Split {
  original: Violation[];
  /** Violations after the split whose evidence includes an event before it: only right if the state came through. */
  fromRestoredState: Violation[];
  /** Violations after the split of accounts with no event after it: flagged from restored state alone. */
  earlierAccounts: Violation[];
}

/** roundTrip at each split point: the restored pipeline publishes exactly what the original does. */
function expectRoundTrips(detectors: readonly AnyDetector[], events: readonly TelemetryEvent[], splits: readonly number[]): Split[] {
  const sorted = byTime(events);
  return splits.map((at) => {
    const { original, restored } = roundTrip(detectors, sorted, at);
    // The split point in the value, so a failure says where.
    expect({ at, violations: restored }).toStrictEqual({ at, violations: original });
    const before = new Set(sorted.slice(0, at).map((e) => e.eventId));
    const laterAccounts = new Set(sorted.slice(at).map((e) => e.accountId));
    return {
      original,
      fromRestoredState: original.filter((v) => v.evidence.some((id) => before.has(id))),
      earlierAccounts: original.filter((v) => !laterAccounts.has(v.accountId)),
    };
  });
}

const rulesOf = (splits: Split[], pick: (s: Split) => Violation[]): string[] => [...new Set(splits.flatMap((s) => pick(s).map((v) => v.rule)))].sort();

interface Seen {
  violations: Violation[];
  /** Every finding with the enforcer's outcome: a finding made twice is a duplicate there, invisible in the violations. */
  findings: (Finding & { outcome: string })[];
  late: string[];
}

function observed(detectors: readonly AnyDetector[]): { process: (e: TelemetryEvent) => void; seen: Seen; pipeline: ReturnType<typeof buildPipeline> } {
  const seen: Seen = { violations: [], findings: [], late: [] };
  const observer = { ...NOOP_OBSERVER, finding: (f: Finding, outcome: string) => void seen.findings.push({ ...f, outcome }), late: (d: string, r: string) => void seen.late.push(`${d}/${r}`) };
  const pipeline = buildPipeline(compilePolicy(undefined, defaultRules([...detectors])), DEFAULT_PIPELINE_SETTINGS, observer, detectors);
  return { pipeline, seen, process: (e) => void seen.violations.push(...pipeline.process(e, 0)) };
}

/**
 * Stricter than roundTrip, which compares violations only: the enforcer
 * drops a finding made twice (a `fired` or `flagged` mark lost) and events
 * arrive in time order there (a window start lost, so a straggler is not
 * reported late). Here events arrive as given, and findings with their
 * outcomes and late reports must agree too.
 */
function expectSameFindings(detectors: readonly AnyDetector[], arrival: readonly TelemetryEvent[]): void {
  for (const at of everySplit(arrival.length)) {
    const a = observed(detectors);
    const b = observed(detectors);
    arrival.slice(0, at).forEach(a.process);
    b.pipeline.restore(structuredClone(a.pipeline.snapshot()), 0);
    Object.assign(a.seen, { violations: [], findings: [], late: [] });
    for (const e of arrival.slice(at)) {
      a.process(e);
      b.process(e);
    }
    expect({ at, ...b.seen }).toStrictEqual({ at, ...a.seen });
  }
}

// ---------------------------------------------------------------- traffic

/** Dialled, connected 10 s later, ended after `durationMs`. */
function call(accountId: string, at: number, to: string, durationMs: number): CallEvent[] {
  const start = callEvent(accountId, at, { to, phase: 'start' });
  const base = { to, callId: start.callId };
  return [start, callEvent(accountId, at + 10_000, { ...base, phase: 'answer' }), callEvent(accountId, at + 10_000 + durationMs, { ...base, phase: 'end', disposition: 'answered', durationMs })];
}

/** One account per rule, each crossing its threshold part-way and going on after it; in arrival order, stragglers last. */
function incomeEvents(): TelemetryEvent[] {
  // Short connected calls spread over four +882 numbers: the top three cross 4 calls at the fifth.
  const repeat = [1, 2, 1, 2, 3, 1, 4, 2].flatMap((n, i) => call('ig-rt-repeat', T0 + i * 20 * MINUTE, `+88213000020${n}`, 2 * MINUTE));
  // 9-minute calls to one +882 number: 36 connected minutes at the fourth end.
  const minutes = Array.from({ length: 6 }, (_, i) => call('ig-rt-minutes', T0 + i * 40 * MINUTE, '+882130000301', 9 * MINUTE)).flat();
  // Messages to UK premium-rate numbers: the eleventh crosses 10.
  const sms = Array.from({ length: 14 }, (_, i) => messageEvent('ig-rt-sms', T0 + i * 5 * MINUTE, { to: `+44906555100${i % 4}` }));
  // A history of home calls (+1415), then within one epoch hour 25 dialled calls into +234 (the 21st crosses 20)
  // and 22 into +236, which would cross too but the account was already found in this window.
  const dial = (at: number, to: string): CallEvent => callEvent('ig-rt-surge', at, { to, phase: 'start' });
  const home = Array.from({ length: 12 }, (_, i) => dial(T0 + i * 15 * MINUTE, `+1415555200${i % 7}`));
  const surge = Array.from({ length: 25 }, (_, i) => dial(T0 + 4 * HOUR + i * MINUTE, `+23480312${String(30000 + i)}`));
  const second = Array.from({ length: 22 }, (_, i) => dial(T0 + 4 * HOUR + 30 * MINUTE + i * MINUTE, `+23670123${String(4000 + i)}`));
  // One straggler per rule, from a window each rule has left behind.
  const stragglers: TelemetryEvent[] = [
    callEvent('ig-rt-repeat', T0 - 10 * HOUR, { to: '+882130000201', phase: 'answer' }),
    callEvent('ig-rt-minutes', T0 - 10 * HOUR, { to: '+882130000301', phase: 'end', disposition: 'answered', durationMs: 5 * MINUTE }),
    messageEvent('ig-rt-sms', T0 - 10 * HOUR, { to: '+449065551000' }),
    dial(T0 + 3 * HOUR + 30 * MINUTE, '+14155552001'),
  ];
  return [...byTime([...repeat, ...minutes, ...sms, ...home, ...surge, ...second]), ...stragglers];
}

function reg(accountId: string, at: number, deviceId: string, ipAddress: string, phoneNumber: string, verification: Verification = 'verified'): RegistrationEvent {
  return registrationEvent(accountId, at, { deviceId, ipAddress, phoneNumber, verification });
}

/** A burst per detector key, each found part-way so the accounts before it are flagged from state; in arrival order, stragglers last. */
function registrationEvents(): TelemetryEvent[] {
  const own = (id: string): [string, string] => [`ip-${id}`, `num-${id}`];
  // One device, seven accounts. Three fail once and never verify; one mistypes its code and then verifies; the
  // seventh's failure crosses the limit, flagging the three before it, which register nothing more.
  const failing = new Set([1, 4, 5, 6]);
  const device = Array.from({ length: 7 }, (_, i) => {
    const id = `fr-rt-dev-${i}`;
    return reg(id, T0 + HOUR + i * 5 * MINUTE, 'fr-rt-device', ...own(id), failing.has(i) || i === 2 ? 'failed' : 'verified');
  });
  device.push(
    reg('fr-rt-dev-2', T0 + HOUR + 12 * MINUTE, 'fr-rt-device', ...own('fr-rt-dev-2'), 'verified'),
    reg('fr-rt-dev-6', T0 + HOUR + 35 * MINUTE, 'fr-rt-device', ...own('fr-rt-dev-6'), 'skipped'),
  );
  // One address in one epoch hour: twelve verified accounts cycled through two devices, two unverified ones, two verified bystanders on their own devices.
  const ip = Array.from({ length: 16 }, (_, i) => {
    const id = `fr-rt-ip-${i}`;
    const deviceId = i < 12 ? `fr-rt-ip-dev-${i % 2}` : `fr-rt-ip-own-${i}`;
    return reg(id, T0 + 3 * HOUR + 2 * MINUTE + i * 3 * MINUTE, deviceId, 'fr-rt-ip', `num-${id}`, i === 12 || i === 13 ? 'skipped' : 'verified');
  });
  // Another address, each account on its own device: found by its verified share (7 of 11 unverified). Verified
  // accounts follow, raising the share past the limit, then one more unverified account: part of the burst found.
  const shared = Array.from({ length: 17 }, (_, i) => {
    const id = `fr-rt-share-${i}`;
    return reg(id, T0 + 7 * HOUR + 2 * MINUTE + i * 2 * MINUTE, `dev-${id}`, 'fr-rt-share-ip', `num-${id}`, i < 7 || i === 16 ? 'skipped' : 'verified');
  });
  // One number: an account that holds it (verified), then three others failing on it twice each.
  const number = [
    reg('fr-rt-num-holder', T0 + 5 * HOUR, 'fr-rt-num-dev-h', 'ip-fr-rt-num-h', 'fr-rt-number'),
    ...[0, 1, 2].flatMap((i) => {
      const id = `fr-rt-num-${i}`;
      const at = T0 + 5 * HOUR + (i + 1) * 15 * MINUTE;
      return [reg(id, at, `fr-rt-num-dev-${i}`, `ip-${id}`, 'fr-rt-number', 'failed'), reg(id, at + 2 * MINUTE, `fr-rt-num-dev-${i}`, `ip-${id}`, 'fr-rt-number', 'skipped')];
    }),
  ];
  // Stragglers from windows each key has left behind: the day before for the device and the number, the hour before for the address.
  const stragglers = [
    reg('fr-rt-late-dev', T0 - 10 * HOUR, 'fr-rt-device', ...own('fr-rt-late-dev'), 'failed'),
    reg('fr-rt-late-ip', T0 + 2 * HOUR, 'dev-fr-rt-late-ip', 'fr-rt-ip', 'num-fr-rt-late-ip', 'skipped'),
    reg('fr-rt-late-num', T0 - 10 * HOUR, 'dev-fr-rt-late-num', 'ip-fr-rt-late-num', 'fr-rt-number', 'failed'),
  ];
  return [...byTime([...device, ...ip, ...shared, ...number]), ...stragglers];
}

// ---------------------------------------------------------------- round trips

describe('income_generation state survives a restore', () => {
  const personas = incomeScenario.personas(T0).flatMap((p) => p.events);

  it('the scenario personas, restored at a quarter, half and three quarters', () => {
    const splits = expectRoundTrips([incomeGeneration], personas, quarters(personas.length));
    expect(splits.some((s) => s.original.length > 0)).toBe(true);
  });

  it('the scenario personas, restored inside each abusive burst', () => {
    const splits = expectRoundTrips([incomeGeneration], personas, spread(personas.length, 80));
    // Not high_risk_connected_minutes: the pumper's first call alone is over the limit. The purpose-built traffic below covers it.
    expect(rulesOf(splits, (s) => s.fromRestoredState)).toEqual(['high_risk_messages', 'high_risk_repeat_calls', 'new_range_surge']);
  });

  it('every rule, restored after every event', () => {
    const events = incomeEvents();
    const splits = expectRoundTrips([incomeGeneration], events, everySplit(events.length));
    // Each rule made a finding that depends on events from before some split.
    expect(rulesOf(splits, (s) => s.fromRestoredState)).toEqual(['high_risk_connected_minutes', 'high_risk_messages', 'high_risk_repeat_calls', 'new_range_surge']);
  });

  it('every rule, restored after every event, makes the same findings and late reports (stragglers included)', () => {
    expectSameFindings([incomeGeneration], incomeEvents());
  });
});

describe('fraudulent_registration state survives a restore', () => {
  const personas = registrationScenario.personas(T0).flatMap((p) => p.events);

  it('the scenario personas, restored at a quarter, half and three quarters', () => {
    const splits = expectRoundTrips(FRAUDULENT_REGISTRATION_DETECTORS, personas, quarters(personas.length));
    expect(splits.some((s) => s.original.length > 0)).toBe(true);
  });

  it('the scenario personas, restored after every event, flag farm accounts registered before the split', () => {
    const splits = expectRoundTrips(FRAUDULENT_REGISTRATION_DETECTORS, personas, everySplit(personas.length));
    expect(rulesOf(splits, (s) => s.earlierAccounts)).toEqual(['failed_number_registration', 'registration_verification_failures', 'registrations_per_device', 'registrations_per_ip']);
  });

  it.each([
    ['fraudulent_registration_device', fraudulentRegistrationByDevice, ['registration_verification_failures', 'registrations_per_device']],
    ['fraudulent_registration_ip', fraudulentRegistrationByIp, ['registrations_per_ip']],
    ['fraudulent_registration_number', fraudulentRegistrationByNumber, ['failed_number_registration']],
  ] as const)('%s, restored after every event, flags accounts registered before the split', (_name, detector: AnyDetector, rules) => {
    const events = registrationEvents();
    const splits = expectRoundTrips([detector], events, everySplit(events.length));
    expect(rulesOf(splits, (s) => s.earlierAccounts)).toEqual([...rules]);
  });

  it('all three, restored after every event, make the same findings and late reports (stragglers included)', () => {
    expectSameFindings(FRAUDULENT_REGISTRATION_DETECTORS, registrationEvents());
  });
});

// ---------------------------------------------------------------- codecs directly

const contexts = new Map<AnyDetector, DetectorContext>();

/** The context the engine would give, with the default policy; these detectors ask for no timers. */
function contextFor(detector: AnyDetector): DetectorContext {
  const known = contexts.get(detector);
  if (known) return known;
  const policy = compilePolicy(undefined, defaultRules([detector]));
  const ctx = detectorContext(policy);
  contexts.set(detector, ctx);
  return ctx;
}

/** Feeds `events` into live per-key states, as the engine would. */
function feed(detector: AnyDetector, states: Map<string, unknown>, events: readonly TelemetryEvent[]): void {
  const ctx = contextFor(detector);
  for (const e of events) {
    if (!detector.eventTypes.includes(e.type)) continue;
    const key = detector.keyOf(e);
    let state = states.get(key);
    if (state === undefined) {
      state = detector.createState();
      states.set(key, state);
    }
    detector.onEvent(state, e, ctx);
  }
}

function codecOf(detector: AnyDetector): NonNullable<AnyDetector['codec']> {
  if (!detector.codec) throw new Error(`${detector.name} has no codec`);
  return detector.codec;
}

const encodeAll = (detector: AnyDetector, states: Map<string, unknown>): Map<string, unknown> => new Map([...states].map(([k, s]) => [k, codecOf(detector).encode(s)]));

describe.each([
  ['income_generation', incomeGeneration, incomeEvents],
  ['fraudulent_registration_device', fraudulentRegistrationByDevice, registrationEvents],
  ['fraudulent_registration_ip', fraudulentRegistrationByIp, registrationEvents],
  ['fraudulent_registration_number', fraudulentRegistrationByNumber, registrationEvents],
] as const)('%s codec', (_name, detector: AnyDetector, traffic: () => TelemetryEvent[]) => {
  const codec = codecOf(detector);
  const events = traffic();

  it('encodes a fresh state, and the state after every event, as plain data that decodes and re-encodes to itself', () => {
    const fresh = codec.encode(detector.createState());
    assertPlainData(fresh);
    expect(codec.encode(codec.decode(structuredClone(fresh)))).toStrictEqual(fresh);

    const states = new Map<string, unknown>();
    for (const e of events) {
      feed(detector, states, [e]);
      const data = codec.encode(states.get(detector.keyOf(e)));
      assertPlainData(data);
      expect(codec.encode(codec.decode(structuredClone(data)))).toStrictEqual(data);
    }
  });

  it('shares nothing mutable, at any split: neither encode with the live state nor decode with the data', () => {
    let changed = 0;
    for (const at of everySplit(events.length)) {
      const states = new Map<string, unknown>();
      feed(detector, states, events.slice(0, at));
      const data = encodeAll(detector, states);
      const copy = structuredClone(data);

      feed(detector, states, events.slice(at));
      if (!isDeepStrictEqual(encodeAll(detector, states), copy)) changed += 1;
      expect({ at, data }).toStrictEqual({ at, data: copy });

      const decoded = new Map([...data].map(([k, d]) => [k, codec.decode(d)]));
      feed(detector, decoded, events.slice(at));
      expect({ at, data }).toStrictEqual({ at, data: copy });
    }
    // The test proves nothing unless the states went on changing after the encodes.
    expect(changed).toBeGreaterThan(events.length / 2);
  });

  it('refuses a record that is not an object', () => {
    expect(() => codec.decode(null)).toThrow(/expected an object/);
    expect(() => codec.decode(42)).toThrow(/expected an object/);
  });
});

describe('fraudulent_registration codec across detector versions', () => {
  it('starts a rule missing from the record (added since) with an empty burst, and keeps the others', () => {
    const codec = codecOf(fraudulentRegistrationByDevice);
    const states = new Map<string, unknown>();
    feed(fraudulentRegistrationByDevice, states, registrationEvents());
    const data = codec.encode(states.get('device:fr-rt-device')) as Record<string, unknown>;
    const { registration_verification_failures: _dropped, ...older } = data;
    const fresh = codec.encode(fraudulentRegistrationByDevice.createState()) as Record<string, unknown>;
    expect(codec.encode(codec.decode(older))).toStrictEqual({ ...data, registration_verification_failures: fresh.registration_verification_failures });
  });
});
