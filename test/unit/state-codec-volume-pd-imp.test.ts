import { RowTable } from '../../src/engine/row-table';
import { defaultRules } from '../../src/detectors';
import { contactFlood, deviceVolume, excessiveVolume, fewNumbersFlood } from '../../src/detectors/excessive-volume';
import { impersonation } from '../../src/detectors/impersonation';
import { personalData } from '../../src/detectors/personal-data';
import type { AnyDetector, DetectorContext, Finding, StateCodec } from '../../src/detectors/types';
import type { TelemetryEvent } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import type { Policy } from '../../src/policy/types';
import { assertPlainData, roundTrip } from '../helpers/codec-roundtrip';
import { callEvent, HOUR, messageEvent, MINUTE, reportEvent, T0 } from '../helpers/events';
import { scenario as volumeScenario } from '../scenarios/excessive-volume';
import { scenario as impersonationScenario } from '../scenarios/impersonation';
import { scenario as personalDataScenario } from '../scenarios/personal-data';
import type { Persona } from '../scenarios/types';
import { detectorContext } from '../helpers/detector-context';

/**
 * State codecs of the EXCESSIVE_VOLUME, PERSONAL_DATA_SHARING and
 * IMPERSONATION detectors. Three views of the same contract:
 * - roundTrip: a pipeline restored from a snapshot publishes what the
 *   original goes on to publish (counts, windows, evidence ids);
 * - findings: the detector alone, restored mid-stream, makes the same
 *   findings, which also sees a lost `fired` flag that the enforcer's
 *   de-duplication would hide from the pipeline's output;
 * - direct: encode gives plain data, decode gives back an equal state, and a
 *   snapshot is not changed by later events (no shared arrays).
 */
const asAny = (d: unknown): AnyDetector => d as AnyDetector;
const EV = volumeScenario.personas(T0);
const PD = personalDataScenario.personas(T0);
const IMP = impersonationScenario.personas(T0);
const eventsOf = (personas: readonly Persona[]): TelemetryEvent[] => personas.flatMap((p) => p.events);
const byTime = (events: readonly TelemetryEvent[]): TelemetryEvent[] => [...events].sort((a, b) => a.eventTime - b.eventTime);

function persona(list: readonly Persona[], part: string): TelemetryEvent[] {
  const found = list.filter((p) => p.accountId.includes(part));
  if (found.length === 0) throw new Error(`no persona ${part}`);
  return eventsOf(found);
}

// ---- purpose-built traffic ----

/** 30 calls in 45 seconds (over calls_per_minute, 20), then 25 in the next minute: two windows of one counter. */
const callBurst = [
  ...Array.from({ length: 30 }, (_, i) => callEvent('codec-vol-caller', T0 + 5 * HOUR + i * 1500)),
  ...Array.from({ length: 25 }, (_, i) => callEvent('codec-vol-caller', T0 + 5 * HOUR + MINUTE + i * 2000)),
];

/** Two accounts take one device over device_calls_per_minute (25) on the 26th call; a third joins after and is flagged alone. */
const deviceJoin = [
  ...Array.from({ length: 26 }, (_, i) => callEvent(i % 2 === 0 ? 'codec-dev-a' : 'codec-dev-b', T0 + 6 * HOUR + i * 1000, { deviceId: 'codec-tablet' })),
  callEvent('codec-dev-c', T0 + 6 * HOUR + 30_000, { deviceId: 'codec-tablet' }),
  callEvent('codec-dev-c', T0 + 6 * HOUR + 31_000, { deviceId: 'codec-tablet' }),
];

/** 160 messages from two accounts on one phone in 48 seconds: over device_messages_per_minute (150). */
const deviceTexts = Array.from({ length: 160 }, (_, i) => messageEvent(i % 3 === 0 ? 'codec-dev-d' : 'codec-dev-e', T0 + 7 * HOUR + i * 300, { deviceId: 'codec-phone' }));

/** 60 calls to one person's three lines among 14 calls to strangers in an hour: more numbers than slots, so slots are evicted. */
const noisyStalker = Array.from({ length: 74 }, (_, i) =>
  callEvent('codec-noisy-stalker', T0 + 3 * HOUR + i * 48_000, { to: i % 5 === 4 ? `+1303555${String(1000 + i)}` : `+1212555${['0101', '0202', '0303'][i % 3] ?? '0101'}` }),
);

/** A card on day one, a credential and an ID number, a second card the same day (no new finding), a card on day two. */
const repeatSharer = [
  ['fresh one: 4111 1111 1111 1111 exp 09/28', 0],
  ['my password is hunter22', HOUR],
  ['her ssn is 219-09-9999', 2 * HOUR],
  ['and another 5555-5555-5555-4444', 3 * HOUR],
  ['the code is 552817', 4 * HOUR],
  ['new day: 378282246310005', 25 * HOUR],
  ['pin: 4821', 26 * HOUR],
].map(([text, at]) => messageEvent('codec-pd-sharer', T0 + Number(at), { text: String(text) }));

/** Caller-ID rotation (a new ID per call, up to the distinct cap), attestation C and impersonation reports from one account, interleaved. */
const impersonator = [
  ...Array.from({ length: 36 }, (_, i) => callEvent('codec-imp', T0 + i * 90_000, { attestation: 'C', presentedCallerId: `+1800555${String(3000 + i)}` })),
  ...['+12125550301', '+12125550302', '+12125550303', '+12125550302'].map((n, i) => reportEvent('codec-imp', T0 + (i + 1) * 11 * MINUTE, { reason: 'impersonation', reporterNumber: n })),
];

interface Case {
  name: string;
  detectors: readonly AnyDetector[];
  events: TelemetryEvent[];
  /** Split points besides 25%, 50%, 75% and 90% of the events. */
  extraSplits?: number[];
  /** A policy file's content; the defaults when absent. */
  policy?: unknown;
}

/** Thresholds of 1 instead of 0: the second message finds, so its evidence holds an event from before a split. */
const PD_SECOND_MESSAGE = { rules: { card_number_shared: { threshold: 1 }, national_id_shared: { threshold: 1 }, credential_shared: { threshold: 1 } } };

const ALL_VOLUME = [excessiveVolume, deviceVolume, contactFlood, fewNumbersFlood].map(asAny);

const CASES: Case[] = [
  { name: 'excessiveVolume: spammer', detectors: [asAny(excessiveVolume)], events: persona(EV, 'spammer') },
  { name: 'excessiveVolume: call burst over two minutes', detectors: [asAny(excessiveVolume)], events: callBurst },
  { name: 'deviceVolume: device farm', detectors: [asAny(deviceVolume)], events: persona(EV, 'device-farm-') },
  { name: 'deviceVolume: an account joins after the crossing', detectors: [asAny(deviceVolume)], events: deviceJoin, extraSplits: [26] },
  { name: 'deviceVolume: messages', detectors: [asAny(deviceVolume)], events: deviceTexts },
  { name: 'contactFlood: harasser and message bomber', detectors: [asAny(contactFlood)], events: [...persona(EV, 'harasser'), ...persona(EV, 'message-bomber')] },
  { name: 'fewNumbersFlood: line stalker', detectors: [asAny(fewNumbersFlood)], events: persona(EV, 'line-stalker') },
  { name: 'fewNumbersFlood: stalker among strangers', detectors: [asAny(fewNumbersFlood)], events: noisyStalker },
  { name: 'all four: the EXCESSIVE_VOLUME scenario', detectors: ALL_VOLUME, events: eventsOf(EV) },
  { name: 'personalData: scenario', detectors: [asAny(personalData)], events: eventsOf(PD) },
  { name: 'personalData: repeat sharer', detectors: [asAny(personalData)], events: repeatSharer },
  { name: 'personalData: repeat sharer, found on the second message', detectors: [asAny(personalData)], events: repeatSharer, policy: PD_SECOND_MESSAGE, extraSplits: [1, 2, 3, 4] },
  { name: 'impersonation: scenario', detectors: [asAny(impersonation)], events: eventsOf(IMP) },
  { name: 'impersonation: every rule on one account', detectors: [asAny(impersonation)], events: impersonator },
];

function splitsOf(c: Case): number[] {
  const n = c.events.length;
  return [...new Set([Math.floor(n / 4), Math.floor(n / 2), Math.floor((3 * n) / 4), Math.floor((9 * n) / 10), ...(c.extraSplits ?? [])])];
}

// ---- the detector alone, outside the pipeline ----

const contextFor = (policy: Policy, accountId: string): DetectorContext => detectorContext(policy, accountId);

/** Per-key states of one detector, driven directly (no TTL, no cap: none matters within a day). */
class DirectRun {
  readonly states = new Map<string, unknown>();
  private readonly policy: Policy;

  constructor(
    private readonly detector: AnyDetector,
    private readonly rawPolicy?: unknown,
  ) {
    this.policy = compilePolicy(rawPolicy, defaultRules([detector]));
  }

  process(event: TelemetryEvent): readonly Finding[] {
    if (!this.detector.eventTypes.includes(event.type)) return [];
    const key = this.detector.keyOf(event);
    let state = this.states.get(key);
    if (state === undefined) {
      state = this.detector.createState();
      this.states.set(key, state);
    }
    return this.detector.onEvent(state, event, contextFor(this.policy, event.accountId));
  }

  /** A copy of this run restored from its states' changelog form. */
  restored(): DirectRun {
    const codec = codecOf(this.detector);
    const copy = new DirectRun(this.detector, this.rawPolicy);
    for (const [key, state] of this.states) copy.states.set(key, codec.decode(structuredClone(codec.encode(state))));
    return copy;
  }
}

function codecOf(detector: AnyDetector): StateCodec<unknown> {
  if (!detector.codec) throw new Error(`${detector.name} has no codec`);
  return detector.codec;
}

describe.each(CASES)('$name', (c) => {
  const events = byTime(c.events);

  it('restores into a pipeline that publishes what the original publishes, at every split', () => {
    let published = 0;
    for (const splitAt of splitsOf(c)) {
      const { original, restored } = roundTrip(c.detectors, events, splitAt, c.policy);
      expect({ splitAt, violations: restored }).toEqual({ splitAt, violations: original });
      published += original.length;
    }
    // Violations after some split, so the comparison can fail.
    expect(published).toBeGreaterThan(0);
  });

  it.each(c.detectors.map((d) => [d.name, d] as const))('restores %s into a detector that finds what the original finds', (_name, detector) => {
    let found = 0;
    for (const splitAt of splitsOf(c)) {
      const original = new DirectRun(detector, c.policy);
      for (const e of events.slice(0, splitAt)) original.process(e);
      const restored = original.restored();
      const after = events.slice(splitAt);
      const a = after.flatMap((e) => original.process(e));
      const b = after.flatMap((e) => restored.process(e));
      expect({ splitAt, findings: b }).toEqual({ splitAt, findings: a });
      found += a.length;
    }
    if (c.detectors.length === 1) expect(found).toBeGreaterThan(0);
  });

  it.each(c.detectors.map((d) => [d.name, d] as const))('encodes %s as plain data that decodes to an equal state, sharing nothing', (_name, detector) => {
    const codec = codecOf(detector);
    const live = new DirectRun(detector, c.policy);
    const decoded = new DirectRun(detector, c.policy);
    const half = Math.floor(events.length / 2);
    for (const e of events.slice(0, half)) live.process(e);
    expect(live.states.size).toBeGreaterThan(0);
    const records = [...live.states].map(([key, state]) => {
      const data = codec.encode(state);
      assertPlainData(data, `${detector.name}[${key}]`);
      // Straight from the record, not a clone of it, so a state that aliased the record would show below.
      const back = codec.decode(data);
      // Same class instances and fields (a row's own cells and tails, not where its table keeps them): a dropped `fired`
      // flag or ring slot shows here even when no later finding does.
      expect(comparable(back)).toStrictEqual(comparable(state));
      expect(codec.encode(back)).toStrictEqual(data);
      decoded.states.set(key, back);
      return { key, data, copy: structuredClone(data) };
    });
    // The live state and the decoded one both move on; the record taken before must not.
    for (const e of events.slice(half)) {
      live.process(e);
      decoded.process(e);
    }
    for (const r of records) expect({ key: r.key, data: r.data }).toStrictEqual({ key: r.key, data: r.copy });
  });
});

/** A state as the test compares it: a row by what it holds (RowTable.view), any other state as itself. */
const comparable = (state: unknown): unknown => (state instanceof RowTable ? state.view() : state);

describe('codec data', () => {
  it('keeps per-rule state by rule name, so a record outlives a reordered rule list', () => {
    const run = new DirectRun(asAny(excessiveVolume));
    for (const e of callBurst.slice(0, 25)) run.process(e);
    const data = codecOf(asAny(excessiveVolume)).encode(run.states.get('codec-vol-caller'));
    expect(data).toMatchObject({ calls: { counters: { calls_per_minute: { count: 25, fired: true }, calls_per_hour: { count: 25, fired: false } } } });
  });

  it('starts a rule with no saved data fresh', () => {
    const codec = personalData.codec;
    if (!codec) throw new Error('personalData has no codec');
    const state = personalData.createState();
    personalData.onEvent(state, repeatSharer[0] ?? messageEvent('x', T0), contextFor(compilePolicy(undefined, defaultRules([asAny(personalData)])), 'codec-pd-sharer'));
    expect(state.counters[0]?.count).toBe(1);
    const data = codec.encode(state) as Record<string, unknown>;
    delete data.card_number_shared;
    expect(codec.decode(data)).toStrictEqual(personalData.createState());
  });
});
