import { defaultRules } from '../../src/detectors';
import { bulkMessaging } from '../../src/detectors/bulk-messaging';
import { CandidateRing } from '../../src/detectors/bulk-messaging/candidate-ring';
import { idList, pushId, pushTimed, timedSince, type TimedEvidence } from '../../src/engine/compact-evidence';
import { HashSet32, type WhenFull } from '../../src/detectors/bulk-messaging/hash-set32';
import { addRecipient, newRecipientSketch, recipientsAround } from '../../src/detectors/bulk-messaging/recipient-sketch';
import { RECIPIENT_SKETCH_BITS } from '../../src/detectors/bulk-messaging/rules';
import type { BulkMessagingState } from '../../src/detectors/bulk-messaging/state';
import { PLAIN_MAX } from '../../src/detectors/bulk-messaging/u32-store';
import { numberHarvesting, type NumberHarvestingState } from '../../src/detectors/number-harvesting';
import type { Detector, StateCodec } from '../../src/detectors/types';
import type { TelemetryEvent } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { assertPlainData } from '../helpers/codec-roundtrip';
import { callEvent, HOUR, messageEvent, MINUTE, reportEvent, T0 } from '../helpers/events';
import { detectorContext } from '../helpers/detector-context';

/**
 * bulk_messaging and number_harvesting keep their per-account state small by
 * creating its parts when first needed and by holding small collections in
 * plain arrays of exactly their contents, switching to typed arrays only when
 * they grow. These tests pin down what an ordinary account holds, that the
 * compact forms behave as the plain set, ring and bitmap they stand for, and
 * that lazily-empty states survive the changelog.
 */
const DAY = 24 * HOUR;

function codecOf<S>(detector: Detector<S>): StateCodec<S> {
  if (!detector.codec) throw new Error(`${detector.name} has no codec`);
  return detector.codec;
}

function feed<S>(detector: Detector<S>, events: readonly TelemetryEvent[], rawPolicy?: unknown, state: S = detector.createState()): S {
  const policy = compilePolicy(rawPolicy, defaultRules([detector]));
  for (const event of events) {
    const ctx = detectorContext(policy, event.accountId);
    if (detector.eventTypes.includes(event.type)) detector.onEvent(state, event, ctx);
  }
  return state;
}

/** encode → structured clone → decode → encode gives the same record, which is plain data. */
function expectRoundTrip<S>(detector: Detector<S>, state: S): S {
  const codec = codecOf(detector);
  const data = codec.encode(state);
  assertPlainData(data);
  const restored = codec.decode(structuredClone(data));
  expect(codec.encode(restored)).toEqual(data);
  return restored;
}

/** One ordinary account's day so far: one answered call and two messages to the person called (the memory benchmark's traffic). */
function ordinaryAccount(id: string): TelemetryEvent[] {
  const to = '+12125551234';
  return [
    callEvent(id, T0, { to, phase: 'start' }),
    callEvent(id, T0 + 2_000, { to, phase: 'answer' }),
    callEvent(id, T0 + MINUTE, { to, phase: 'end', disposition: 'answered', durationMs: 58_000 }),
    messageEvent(id, T0 + 70_000, { to, contentHash: `${id}-a` }),
    messageEvent(id, T0 + 70_001, { to, contentHash: `${id}-b` }),
  ];
}

describe('bulk_messaging state is created as needed', () => {
  it('a fresh state holds no parts, and round-trips as such', () => {
    const fresh = bulkMessaging.createState();
    expect([fresh.table, fresh.otherTable, fresh.contacted, fresh.fanoutEvidence, fresh.recipients, fresh.reports]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    const restored = expectRoundTrip(bulkMessaging, fresh);
    expect(restored).toEqual(fresh);
  });

  it('an ordinary account holds one table without templates, one contact, no evidence id and a sparse sketch', () => {
    const state = feed(bulkMessaging, ordinaryAccount('bm-ordinary'));
    expect(state.table?.templates).toBeUndefined();
    expect(state.otherTable).toBeUndefined();
    expect(state.contacted?.size).toBe(1);
    expect(state.fanoutEvidence).toBeUndefined(); // far from the limit: no ids
    expect(state.recipients?.bits).toEqual([expect.any(Number)]);
    expect(state.reports).toBeUndefined();
    expectRoundTrip(bulkMessaging, state);
  });

  it('a report of another kind creates nothing; a spam report only the report window', () => {
    const id = 'bm-reported';
    const other = feed(bulkMessaging, [reportEvent(id, T0, { reason: 'harassment' })]);
    expect(other).toEqual(bulkMessaging.createState());
    const spam = feed(bulkMessaging, [reportEvent(id, T0, { reason: 'spam' })]);
    expect([spam.table, spam.contacted, spam.recipients]).toEqual([undefined, undefined, undefined]);
    expect(spam.reports?.reporters.values).toEqual(['+12125550199']);
    const restored: BulkMessagingState = expectRoundTrip(bulkMessaging, spam);
    expect([restored.table, restored.contacted, restored.recipients]).toEqual([undefined, undefined, undefined]);
  });

  it('with every rule off a message creates nothing', () => {
    const off = { rules: Object.fromEntries(Object.keys(bulkMessaging.defaults).map((rule) => [rule, { mode: 'off' }])) };
    expect(feed(bulkMessaging, ordinaryAccount('bm-off'), off)).toEqual(bulkMessaging.createState());
  });

  it('two template windows give two tables, one dropped again when the windows agree (policy reload)', () => {
    const id = 'bm-tables';
    const two = feed(bulkMessaging, ordinaryAccount(id), { rules: { same_content_recipients: { windowMs: HOUR } } });
    expect([two.table?.sizeMs, two.otherTable?.sizeMs]).toEqual([HOUR, DAY]);
    const restored = expectRoundTrip(bulkMessaging, two);
    expect([restored.table?.sizeMs, restored.otherTable?.sizeMs]).toEqual([HOUR, DAY]);
    // Back to the defaults: the day table stays (as the first), the hour table goes.
    const table = restored.otherTable;
    const one = feed(bulkMessaging, [messageEvent(id, T0 + HOUR, { to: '+12125551234', contentHash: `${id}-c` })], undefined, restored);
    expect([one.table, one.otherTable]).toEqual([table, undefined]);
    expectRoundTrip(bulkMessaging, one);
  });
});

describe('number_harvesting state is created as needed', () => {
  it('a fresh state holds no parts, and round-trips as such', () => {
    const fresh = numberHarvesting.createState();
    expect([fresh.recent.numbers, fresh.walk, fresh.unanswered, fresh.short]).toEqual([[], undefined, undefined, undefined]);
    const restored = expectRoundTrip(numberHarvesting, fresh);
    expect(restored.recent.last).toBeUndefined();
  });

  it('a call start remembers the callee and nothing else; its answered end adds counts, no callees or evidence', () => {
    const [start, , end] = ordinaryAccount('nh-ordinary');
    if (!start || !end) throw new Error('events');
    const started: NumberHarvestingState = feed(numberHarvesting, [start]);
    expect([started.recent.numbers, started.recent.last, started.walk, started.unanswered, started.short]).toEqual([[12125551234], 12125551234, undefined, undefined, undefined]);
    expectRoundTrip(numberHarvesting, started);
    const ended = feed(numberHarvesting, [start, end]);
    for (const sweep of [ended.unanswered, ended.short]) expect(sweep).toMatchObject({ ended: 1, matched: 0, callees: undefined, evidence: undefined, fired: false });
    expect(ended.walk).toBeUndefined();
    expectRoundTrip(numberHarvesting, ended);
  });

  it('an unanswered call starts the callee list and the evidence; a walk starts the walk counter', () => {
    const id = 'nh-walk';
    const events = [0, 1, 2].flatMap((i) => [
      callEvent(id, T0 + i * MINUTE, { to: `+1212555010${i}`, phase: 'start' }),
      callEvent(id, T0 + i * MINUTE + 30_000, { to: `+1212555010${i}`, phase: 'end', disposition: 'no_answer' }),
    ]);
    const state = feed(numberHarvesting, events);
    expect(state.unanswered?.callees).toEqual([12125550100, 12125550101, 12125550102]);
    expect(state.walk?.count).toBe(2);
    expect(timedSince(state.walk?.evidence, 0)).toHaveLength(2);
    expectRoundTrip(numberHarvesting, state);
  });
});

describe('compact building blocks behave as what they stand for', () => {
  /** A deterministic pseudo-random sequence (mulberry32). */
  function random(seed: number): () => number {
    let s = seed;
    return () => {
      s = (s + 0x6d2b79f5) | 0;
      let t = Math.imul(s ^ (s >>> 15), 1 | s);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** The reference: a plain FIFO or saturating set of at most `cap` values. */
  class ModelSet {
    readonly values: number[] = [];
    constructor(
      private readonly cap: number,
      private readonly whenFull: WhenFull,
    ) {}
    add(v: number): boolean {
      if (this.values.includes(v)) return false;
      if (this.values.length === this.cap) {
        if (this.whenFull === 'saturate') return false;
        this.values.shift();
      }
      this.values.push(v);
      return true;
    }
  }

  it.each([
    [3, 'evict-oldest'],
    [PLAIN_MAX, 'evict-oldest'],
    [PLAIN_MAX + 1, 'saturate'],
    [128, 'saturate'],
    [512, 'evict-oldest'],
  ] as const)('a hash set of cap %p (%p) past its plain-array size, restored at random points', (cap, whenFull) => {
    const next = random(cap);
    const model = new ModelSet(cap, whenFull);
    let set = new HashSet32(cap, whenFull);
    for (let i = 0; i < 4 * cap + 50; i++) {
      // Hashes on both sides of 2^31: a plain array holds the high ones as doubles.
      const v = Math.floor(next() * 3 * cap) + (next() < 0.5 ? 0 : 0x80000000);
      expect(set.add(v)).toBe(model.add(v));
      if (next() < 0.05) set = HashSet32.fromData(structuredClone(set.toData()));
    }
    expect(set.size).toBe(model.values.length);
    for (const v of model.values) expect(set.has(v)).toBe(true);
    expect([...set.toData().items].sort()).toEqual([...model.values].sort());
  });

  it('a candidate ring past its plain-array size forgets the oldest content first, across restores', () => {
    const next = random(64);
    const cap = 64;
    const model: [number, number][] = [];
    let ring = new CandidateRing(cap);
    for (let i = 0; i < 500; i++) {
      const content = Math.floor(next() * 200) * 2654435761;
      const recipient = (Math.floor(next() * 50) * 40503) >>> 0;
      const expected = model.find(([c]) => c === content >>> 0)?.[1];
      expect(ring.firstRecipient(content >>> 0)).toBe(expected);
      if (expected === undefined) {
        ring.add(content >>> 0, recipient);
        if (model.length === cap) model.shift();
        model.push([content >>> 0, recipient]);
      }
      if (next() < 0.05) ring = CandidateRing.fromData(structuredClone(ring.toData()));
    }
  });

  it('the recipient sketch gives the linear-counting estimate of its set bits, listed or as a bitmap', () => {
    const sketch = newRecipientSketch();
    const set = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const bit = (i * 37) % RECIPIENT_SKETCH_BITS;
      addRecipient(sketch, bit, T0, DAY);
      set.add(bit);
      const zeros = RECIPIENT_SKETCH_BITS - set.size;
      const expected = set.size === 0 ? 0 : Math.round(-RECIPIENT_SKETCH_BITS * Math.log(zeros / RECIPIENT_SKETCH_BITS));
      expect(recipientsAround(sketch, sketch.windowStart, DAY)).toBe(expected);
    }
    expect(sketch.bits).toBeInstanceOf(Uint32Array);
    // A new window starts listed again, and the last one's estimate is kept.
    addRecipient(sketch, 5, T0 + DAY, DAY);
    expect(sketch.bits).toEqual([5]);
    expect(sketch.previousEstimate).toBeGreaterThan(200);
  });

  it('evidence keeps the last ids in order, and what it hands out does not change with it', () => {
    let timed: TimedEvidence | undefined;
    let ids: string[] | undefined;
    const handedOut: string[][] = [];
    for (let i = 0; i < 15; i++) {
      timed = pushTimed(timed, `e${i}`, T0 + i * MINUTE, 10);
      ids = pushId(ids, `e${i}`, 10);
      if (i === 12) handedOut.push(timedSince(timed, 0), idList(ids));
    }
    const last10 = Array.from({ length: 10 }, (_, i) => `e${i + 5}`);
    expect(timedSince(timed, 0)).toEqual(last10);
    expect(idList(ids)).toEqual(last10);
    expect(timedSince(timed, T0 + 12 * MINUTE)).toEqual(['e12', 'e13', 'e14']);
    const before = Array.from({ length: 10 }, (_, i) => `e${i + 3}`);
    expect(handedOut).toEqual([before, before]);
  });
});
