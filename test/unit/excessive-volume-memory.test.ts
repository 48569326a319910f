import { setTailNumbers, setTailStrings, tailNumbers, tailStrings } from '../../src/engine/row-tails';
import { defaultRules } from '../../src/detectors';
import { contactFlood, deviceVolume, excessiveVolume, fewNumbersFlood } from '../../src/detectors/excessive-volume';
import type { DeviceVolumeData } from '../../src/detectors/excessive-volume/codec';
import { DEVICE_ACCOUNTS_CAP } from '../../src/detectors/excessive-volume/device-rules';
import { FEW_NUMBERS_SLOTS } from '../../src/detectors/excessive-volume/flood-rules';
import { newHeavyHitters, offer, offerPacked } from '../../src/detectors/excessive-volume/heavy-hitters';
import { FLOOD_SLOTS } from '../../src/detectors/excessive-volume/flood-slots';
import { FINDING_EVIDENCE } from '../../src/detectors/excessive-volume/volume-finding';
import { ringPush, ringSince, ringToData, type Packed, type RingLayout } from '../../src/detectors/excessive-volume/packed';
import type { AnyDetector, DetectorContext } from '../../src/detectors/types';
import { EvidenceRing } from '../../src/engine/evidence-ring';
import { RowTable } from '../../src/engine/row-table';
import type { TelemetryEvent } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { Random } from '../../src/simulate/random';
import { callEvent, messageEvent, MINUTE, T0 } from '../helpers/events';
import { detectorContext } from '../helpers/detector-context';

/**
 * The EXCESSIVE_VOLUME states are packed (src/detectors/excessive-volume/
 * packed.ts): per key, a row of numbers in the engine's columns and two flat
 * tails instead of objects, rings and arrays per rule. What the packing must
 * keep: the engine classes' behaviour, tails that stay empty until used and
 * bounded however busy the key, and codecs that round-trip every shape, fresh
 * included.
 */
const asAny = (d: unknown): AnyDetector => d as AnyDetector;
const DETECTORS = [excessiveVolume, deviceVolume, contactFlood, fewNumbersFlood].map(asAny);
const policy = compilePolicy(undefined, defaultRules(DETECTORS));

function contextFor(accountId: string, allow: readonly string[] = []): DetectorContext {
  const withAllow = allow.length === 0 ? policy : { ...policy, allow: { ...policy.allow, destinations: new Set([...policy.allow.destinations, ...allow]) } };
  return detectorContext(withAllow, accountId);
}

/** One key's state after `events`, driven directly. */
function stateAfter(detector: AnyDetector, events: readonly TelemetryEvent[], allow: readonly string[] = []): Packed {
  const state = detector.createState();
  for (const e of events) detector.onEvent(state, e, contextFor(e.accountId, allow));
  return state as Packed;
}

function expectRoundTrip(detector: AnyDetector, state: Packed): unknown {
  const codec = detector.codec;
  if (!codec) throw new Error(`${detector.name} has no codec`);
  const data = codec.encode(state);
  const back = codec.decode(structuredClone(data));
  expect(back).toBeInstanceOf(RowTable);
  expect((back as RowTable).view()).toStrictEqual((state as RowTable).view());
  expect(codec.encode(back)).toStrictEqual(data);
  return data;
}

/** Strings only in the tail of strings, every number a number (no NaN left by a block's move). */
function expectPlainArrays(state: Packed): void {
  expect(tailStrings(state).every((x) => typeof x === 'string')).toBe(true);
  expect(tailNumbers(state).every((x) => !Number.isNaN(x))).toBe(true);
}

describe('packed evidence rings', () => {
  const layout: RingLayout = { capacity: 10, rings: 2, posAt: 0 };

  it('keep, return and encode what EvidenceRing does, ring by ring', () => {
    const rnd = new Random(11);
    for (let run = 0; run < 30; run++) {
      // The two ring positions are integer cells.
      const st: Packed = RowTable.single({ width: 0, fresh: [], ints: 2, freshInts: [0, 0] });
      const reference = [new EvidenceRing(10), new EvidenceRing(10)];
      let t = T0;
      const pushes = rnd.int(0, 61);
      for (let i = 0; i < pushes; i++) {
        const k = rnd.int(0, 2);
        // Out of order now and then, as late events are.
        t += rnd.int(-3, 11) * 1000;
        ringPush(st, layout, k, `e${run}-${i}`, t);
        reference[k]?.push(`e${run}-${i}`, t);
        const from = t - rnd.int(0, 41) * 1000;
        for (const r of [0, 1]) {
          expect(ringSince(st, layout, r, from)).toEqual(reference[r]?.since(from));
          expect(ringToData(st, layout, r)).toEqual(reference[r]?.toData());
        }
      }
      expectPlainArrays(st);
      expect(st.sLength).toBeLessThanOrEqual(20);
      expect(st.nLength).toBeLessThanOrEqual(20);
    }
  });
});

describe('packed heavy hitters', () => {
  it('offer the same values and counts, in the same slots, as offer()', () => {
    const rnd = new Random(3);
    for (let run = 0; run < 40; run++) {
      const reference = newHeavyHitters();
      // A ring's entries before the heavy hitters, as in a few-numbers state.
      const st: Packed = RowTable.single({ width: 0, fresh: [] });
      setTailNumbers(st, [1, 2, 3]);
      setTailStrings(st, ['x', 'y']);
      const offers = rnd.int(1, 301);
      for (let i = 0; i < offers; i++) {
        const v = rnd.next() < 0.5 ? `heavy-${rnd.int(0, 4)}` : `noise-${rnd.int(0, 41)}`;
        offer(reference, v, FEW_NUMBERS_SLOTS);
        offerPacked(st, 2, 3, v, FEW_NUMBERS_SLOTS);
        expect({ values: tailStrings(st, 2), counts: tailNumbers(st, 3) }).toEqual(reference);
      }
      expect(tailStrings(st, 0, 2)).toEqual(['x', 'y']);
      expect(tailNumbers(st, 0, 3)).toEqual([1, 2, 3]);
    }
  });
});

describe('EXCESSIVE_VOLUME states, lazily', () => {
  it.each(DETECTORS.map((d) => [d.name, d] as const))('%s starts as its fresh head with empty tails, and round-trips fresh', (_name, detector) => {
    const fresh = detector.createState() as RowTable;
    const ints = detector.rows?.ints ? { ints: [...(detector.rows.freshInts ?? [])] } : {};
    expect(fresh.view()).toStrictEqual({ head: [...(detector.rows?.fresh ?? [Number.NaN])], ...ints, n: [], s: [] });
    expectRoundTrip(detector, fresh);
  });

  it('keeps a state fresh while its events are not counted, and round-trips it', () => {
    const answered = callEvent('lazy', T0, { phase: 'answer', to: '+18005550100' });
    const allowListed = [callEvent('lazy', T0, { to: '+18005550100' }), messageEvent('lazy', T0, { to: '+18005550100' })];
    for (const detector of DETECTORS) {
      const state = stateAfter(detector, [answered, ...allowListed], ['+18005550100']);
      // The per-account and per-device volumes do not look at destinations: they count the allow-listed call and message.
      if (detector.name === 'excessive_volume' || detector.name === 'excessive_volume_device') continue;
      expect({ detector: detector.name, state: (state as RowTable).view() }).toStrictEqual({ detector: detector.name, state: (detector.createState() as RowTable).view() });
      expectRoundTrip(detector, state);
    }
    for (const detector of [excessiveVolume, deviceVolume].map(asAny)) {
      expect((stateAfter(detector, [answered]) as RowTable).view()).toStrictEqual((detector.createState() as RowTable).view());
    }
  });

  it('gives a calls-only key no message entries, and writes no message kind for flood and device', () => {
    const calls = Array.from({ length: 3 }, (_, i) => callEvent('caller-only', T0 + i * 1000, { deviceId: 'caller-phone' }));
    for (const detector of DETECTORS) {
      const state = stateAfter(detector, calls);
      expectPlainArrays(state);
      // Three calls are far from every limit: the account and the device keep no event ids (the device its one account),
      // the flood detector only the one number; few-numbers keeps its own evidence ring and the number.
      const expected: Record<string, string[]> = {
        excessive_volume: [],
        excessive_volume_device: ['caller-only'],
        excessive_volume_few_numbers: [...calls.map((e) => e.eventId), '+12125550199'],
        excessive_volume_contact_flood: ['+12125550199'],
      };
      expect(tailStrings(state)).toEqual(expected[detector.name] ?? calls.map((e) => e.eventId));
      const data = expectRoundTrip(detector, state) as Record<string, unknown>;
      if (detector.name === 'excessive_volume_device' || detector.name === 'excessive_volume_contact_flood') expect(Object.keys(data)).toEqual(['calls']);
    }
  });

  it('stores the one account of a device once for all six rules', () => {
    const events = [callEvent('solo', T0, { deviceId: 'solo-phone' }), messageEvent('solo', T0 + 1000, { deviceId: 'solo-phone' })];
    const state = stateAfter(asAny(deviceVolume), events);
    // Two events are far from every limit: no event ids or times, only the one account.
    expect(tailStrings(state)).toEqual(['solo']);
    expect(state.nLength).toBe(0);
    // And its record writes it once too (version 2): the other five rules' lists are the one before theirs.
    const data = expectRoundTrip(asAny(deviceVolume), state) as DeviceVolumeData;
    const lists = (['calls', 'messages'] as const).flatMap((m) => Object.values(data[m]?.windows ?? {}).map((w) => w.accounts));
    expect(lists).toEqual([['solo'], undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('EXCESSIVE_VOLUME states, busy', () => {
  const accounts = Array.from({ length: 50 }, (_, i) => `busy-${i}`);
  /** A day of a busy shared device: 50 accounts, 200 numbers, calls and messages, a few late. */
  const traffic: TelemetryEvent[] = [];
  const rnd = new Random(5);
  let t = T0;
  for (let i = 0; i < 3000; i++) {
    t += rnd.int(0, 61) * 1000;
    const at = rnd.next() < 0.05 ? t - rnd.int(0, 2 * MINUTE) : t;
    const who = accounts[rnd.int(0, accounts.length)] ?? 'busy-0';
    const to = `+1212555${String(rnd.int(1000, 1200))}`;
    traffic.push(rnd.next() < 0.5 ? callEvent(who, at, { deviceId: 'busy-device', to }) : messageEvent(who, at, { deviceId: 'busy-device', to }));
  }

  it('stays within its bounds and round-trips at every stage', () => {
    const bounds: Record<string, { n: number; s: number }> = {
      excessive_volume: { n: 20, s: 20 },
      excessive_volume_device: { n: 20, s: 20 + 6 * DEVICE_ACCOUNTS_CAP },
      // Per kind slots and the evidence of slots near their limit.
      excessive_volume_contact_flood: { n: 2 * FLOOD_SLOTS * (1 + FINDING_EVIDENCE), s: 2 * FLOOD_SLOTS * (1 + FINDING_EVIDENCE) },
      excessive_volume_few_numbers: { n: 10 + FEW_NUMBERS_SLOTS, s: 10 + FEW_NUMBERS_SLOTS },
    };
    for (const detector of DETECTORS) {
      const states = new Map<string, Packed>();
      traffic.forEach((e, i) => {
        const key = detector.keyOf(e);
        let state = states.get(key);
        if (state === undefined) states.set(key, (state = detector.createState() as Packed));
        detector.onEvent(state, e, contextFor(e.accountId));
        const bound = bounds[detector.name];
        expect(state.nLength).toBeLessThanOrEqual(bound?.n ?? 0);
        expect(state.sLength).toBeLessThanOrEqual(bound?.s ?? 0);
        if (i % 250 === 0) {
          expectPlainArrays(state);
          expectRoundTrip(detector, state);
        }
      });
    }
  });

});
