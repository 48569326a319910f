import { defaultRules } from '../../src/detectors';
import { bulkMessaging } from '../../src/detectors/bulk-messaging';
import { addCandidate, clearCandidates, firstRecipient } from '../../src/detectors/bulk-messaging/candidate-ring';
import type { BulkMessagingData } from '../../src/detectors/bulk-messaging/codec';
import { hash32 } from '../../src/detectors/bulk-messaging/hash32';
import { idList, pushId, pushTimed, timedSince, type TimedEvidence } from '../../src/engine/compact-evidence';
import { HashSet32, type WhenFull } from '../../src/detectors/bulk-messaging/hash-set32';
import { addContact } from '../../src/detectors/bulk-messaging/contact-history';
import { addRecipient, recipientsAround, SPARSE_MAX, type RecipientSketchData } from '../../src/detectors/bulk-messaging/recipient-sketch';
import { CANDIDATE_CAP, CONTACT_HISTORY_CAP, RECIPIENT_SKETCH_BITS } from '../../src/detectors/bulk-messaging/rules';
import { BULK_MESSAGING_ROWS, createBulkMessagingState, headAt, setHead, SKETCH_START, TABLE_1, TABLE_2, type BulkMessagingState } from '../../src/detectors/bulk-messaging/state';
import { PLAIN_MAX } from '../../src/detectors/bulk-messaging/u32-store';
import { numberHarvesting, type NumberHarvestingState } from '../../src/detectors/number-harvesting';
import type { NumberHarvestingData } from '../../src/detectors/number-harvesting/codec';
import { recentNumbers } from '../../src/detectors/number-harvesting/recent-callees';
import { evidenceData, evidenceSince, pushEvidence } from '../../src/detectors/number-harvesting/evidence';
import { DISTINCT_CALLEE_CAP, EVIDENCE_SAMPLE as NH_EVIDENCE_SAMPLE, RECENT_CALLEE_CAP } from '../../src/detectors/number-harvesting/rules';
import { NUMBER_HARVESTING_ROWS, SHORT, UNANSWERED, WALK } from '../../src/detectors/number-harvesting/state';
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

describe('bulk_messaging state is a row, its parts taken up as needed', () => {
  const record = (state: BulkMessagingState): BulkMessagingData => codecOf(bulkMessaging).encode(state) as BulkMessagingData;
  const NO_FANOUT = { windowStart: Number.NEGATIVE_INFINITY, count: 0, fired: false, evidence: null };
  const FRESH_ROW = { head: [...BULK_MESSAGING_ROWS.fresh], ints: [...(BULK_MESSAGING_ROWS.freshInts ?? [])], n: [], s: [] };

  it('a fresh state holds no tails and no object, writes every part as absent, and round-trips as such', () => {
    const fresh = bulkMessaging.createState();
    expect(fresh.view()).toEqual(FRESH_ROW);
    expect(fresh.o).toBeUndefined();
    expect(record(fresh)).toEqual({ tables: [], contacted: null, fanout: NO_FANOUT, recipients: null, reports: null });
    const restored = expectRoundTrip(bulkMessaging, fresh);
    expect(restored.view()).toEqual(fresh.view());
  });

  it('an ordinary account holds six numbers: two candidate pairs, one contact, one listed sketch bit; no object, no evidence id', () => {
    const state = feed(bulkMessaging, ordinaryAccount('bm-ordinary'));
    const to = hash32('+12125551234');
    expect(state.view().n).toEqual([hash32('bm-ordinary-a'), to, hash32('bm-ordinary-b'), to, to & (RECIPIENT_SKETCH_BITS - 1), to]);
    expect(state.view().s).toEqual([]); // far from the limit: no ids
    expect(state.o).toBeUndefined();
    const data = record(state);
    expect(data.tables.map((t) => [t.sizeMs, t.templates.length, t.candidates.contents.length])).toEqual([[DAY, 0, 2]]);
    expect(data.contacted?.items).toEqual(Uint32Array.of(to));
    expect(data.recipients?.bits).toEqual([to & (RECIPIENT_SKETCH_BITS - 1)]);
    expect(data.reports).toBeNull();
    expect(expectRoundTrip(bulkMessaging, state).view()).toEqual(state.view());
  });

  it('a report of another kind creates nothing; a spam report only the report window, in the row\'s object', () => {
    const id = 'bm-reported';
    const other = feed(bulkMessaging, [reportEvent(id, T0, { reason: 'harassment' })]);
    expect(record(other)).toEqual(record(bulkMessaging.createState()));
    const spam = feed(bulkMessaging, [reportEvent(id, T0, { reason: 'spam' })]);
    expect(spam.view()).toEqual(FRESH_ROW);
    expect(spam.o?.reports?.reporters.values).toEqual(['+12125550199']);
    const restored = expectRoundTrip(bulkMessaging, spam);
    expect([restored.view(), restored.o?.reports?.reporters.values]).toEqual([spam.view(), ['+12125550199']]);
  });

  it('with every rule off a message creates nothing', () => {
    const off = { rules: Object.fromEntries(Object.keys(bulkMessaging.defaults).map((rule) => [rule, { mode: 'off' }])) };
    const state = feed(bulkMessaging, ordinaryAccount('bm-off'), off);
    expect([state.view(), state.o]).toEqual([bulkMessaging.createState().view(), undefined]);
  });

  it('two template windows give two tables, one dropped again when the windows agree (policy reload): the second becomes the first', () => {
    const id = 'bm-tables';
    const two = feed(bulkMessaging, ordinaryAccount(id), { rules: { same_content_recipients: { windowMs: HOUR } } });
    expect(record(two).tables.map((t) => [t.sizeMs, t.candidates.contents.length])).toEqual([
      [HOUR, 2],
      [DAY, 2],
    ]);
    const restored = expectRoundTrip(bulkMessaging, two);
    expect(restored.view()).toEqual(two.view());
    // Back to the defaults: the day table stays (as the first), with its candidates; the hour table goes.
    const dayTable = record(restored).tables[1];
    const one = feed(bulkMessaging, [messageEvent(id, T0 + HOUR, { to: '+12125551234', contentHash: `${id}-c` })], undefined, restored);
    const tables = record(one).tables;
    expect(tables.map((t) => t.sizeMs)).toEqual([DAY]);
    expect([...(tables[0]?.candidates.contents ?? [])]).toEqual([...(dayTable?.candidates.contents ?? []), hash32(`${id}-c`)]);
    expectRoundTrip(bulkMessaging, one);
  });

  it('templates live in the row\'s object, which goes when their window does; a detached row shares none of it', () => {
    const id = 'bm-templates';
    const sends = ['+12125550001', '+12125550002', '+12125550003'].map((to, i) => messageEvent(id, T0 + i * MINUTE, { to, contentHash: 'promo' }));
    const state = feed(bulkMessaging, sends);
    const templates = state.o?.templates[0];
    expect(templates?.map((t) => [t.content, t.recipients.size])).toEqual([[hash32('promo'), 3]]);
    // The candidate that became a template stays a candidate (as before rows): only its first recipient is read there.
    expect(record(state).tables[0]?.candidates.contents).toEqual(Uint32Array.of(hash32('promo')));
    const copy = state.detach();
    feed(bulkMessaging, [messageEvent(id, T0 + 5 * MINUTE, { to: '+12125550004', contentHash: 'promo' })], undefined, state);
    expect([state.o?.templates[0]?.[0]?.recipients.size, copy.o?.templates[0]?.[0]?.recipients.size]).toEqual([4, 3]);
    // The next day: a new window, no template, and no object left on the row.
    feed(bulkMessaging, [messageEvent(id, T0 + DAY, { to: '+12125550001', contentHash: 'hello' })], undefined, state);
    expect(state.o).toBeUndefined();
    expectRoundTrip(bulkMessaging, state);
  });
});

describe('number_harvesting state is a row, its parts taken up as needed', () => {
  const record = (state: NumberHarvestingState): NumberHarvestingData => codecOf(numberHarvesting).encode(state) as NumberHarvestingData;

  it('a fresh state holds no tails and writes every part as absent, and round-trips as such', () => {
    const fresh = numberHarvesting.createState();
    expect(fresh.view()).toEqual({ head: [...NUMBER_HARVESTING_ROWS.fresh], ints: [...(NUMBER_HARVESTING_ROWS.freshInts ?? [])], n: [], s: [] });
    expect(record(fresh)).toEqual({ recent: [], walk: null, unanswered: null, short: null });
    const restored = expectRoundTrip(numberHarvesting, fresh);
    expect(restored.view()).toEqual(fresh.view());
  });

  it('a call start remembers the callee and nothing else; its answered end adds counts, no callees or evidence', () => {
    const [start, , end] = ordinaryAccount('nh-ordinary');
    if (!start || !end) throw new Error('events');
    const started: NumberHarvestingState = feed(numberHarvesting, [start]);
    expect(recentNumbers(started)).toEqual([12125551234]);
    expect(record(started)).toEqual({ recent: [12125551234, start.eventTime, 12125551234, start.eventTime], walk: null, unanswered: null, short: null });
    expect(started.view()).toMatchObject({ n: [12125551234, start.eventTime, 12125551234, start.eventTime], s: [] });
    expectRoundTrip(numberHarvesting, started);
    const ended = feed(numberHarvesting, [start, end]);
    const d = record(ended);
    for (const sweep of [d.unanswered, d.short]) expect(sweep).toMatchObject({ ended: 1, matched: 0, callees: null, evidence: null, fired: false });
    expect(d.walk).toBeNull();
    // Nothing more in the tails than the recent callees.
    expect(ended.view()).toMatchObject({ n: [12125551234, start.eventTime, 12125551234, start.eventTime], s: [] });
    expect(expectRoundTrip(numberHarvesting, ended).view()).toEqual(ended.view());
  });

  it('an unanswered call starts the callee list and the evidence; a walk starts the walk counter; each segment in its place', () => {
    const id = 'nh-walk';
    const events = [0, 1, 2].flatMap((i) => [
      callEvent(id, T0 + i * MINUTE, { to: `+1212555010${i}`, phase: 'start' }),
      callEvent(id, T0 + i * MINUTE + 30_000, { to: `+1212555010${i}`, phase: 'end', disposition: 'no_answer' }),
    ]);
    const state = feed(numberHarvesting, events);
    const d = record(state);
    expect(d.unanswered?.callees).toEqual([12125550100, 12125550101, 12125550102]);
    // An unanswered call connected for no time at all: a short call too.
    expect(d.short?.callees).toEqual([12125550100, 12125550101, 12125550102]);
    expect(d.walk?.count).toBe(2);
    const starts = events.filter((e) => e.type === 'call' && e.phase === 'start');
    const ends = events.filter((e) => e.type === 'call' && e.phase === 'end');
    // The walk's evidence (the 2nd and 3rd starts) comes before the sweeps' (the three ends each), each [id, time, …].
    expect(d.walk?.evidence).toEqual(starts.slice(1).flatMap((e) => [e.eventId, e.eventTime]));
    expect(d.unanswered?.evidence).toEqual(ends.flatMap((e) => [e.eventId, e.eventTime]));
    expect(d.short?.evidence).toEqual(d.unanswered?.evidence);
    expect(state.view().s).toEqual([...starts.slice(1), ...ends, ...ends].map((e) => e.eventId));
    expect(expectRoundTrip(numberHarvesting, state).view()).toEqual(state.view());
  });

  it("clears the callees, not the evidence, when a sweep's window moves on", () => {
    const id = 'nh-window';
    const end = (at: number, n: number): TelemetryEvent => callEvent(id, at, { to: `+1212555020${n}`, phase: 'end', disposition: 'no_answer' });
    const state = feed(numberHarvesting, [end(T0, 1), end(T0 + 1000, 2), end(T0 + HOUR, 3)]);
    const d = record(state);
    expect(d.unanswered).toMatchObject({ ended: 1, matched: 1, callees: [12125550203] });
    expect(d.unanswered?.evidence).toHaveLength(6);
    expect(expectRoundTrip(numberHarvesting, state).view()).toEqual(state.view());
  });

  it("keeps each part's evidence as pushTimed keeps a sample of its own, pushes to the three interleaved (model test)", () => {
    const st = numberHarvesting.createState();
    const parts = [WALK, UNANSWERED, SHORT];
    const model: (TimedEvidence | undefined)[] = [undefined, undefined, undefined];
    let seed = 11;
    const next = (n: number): number => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    for (let i = 0; i < 400; i++) {
      const k = next(3);
      const at = T0 + next(50) * MINUTE;
      pushEvidence(st, parts[k]!, `e${i}`, at);
      model[k] = pushTimed(model[k], `e${i}`, at, NH_EVIDENCE_SAMPLE);
      for (let j = 0; j < 3; j++) {
        expect(evidenceData(st, parts[j]!)).toEqual(model[j] === undefined ? null : model[j]);
        expect(evidenceSince(st, parts[j]!, T0 + 25 * MINUTE)).toEqual(timedSince(model[j], T0 + 25 * MINUTE));
      }
    }
  });

  it('refuses a record past the caps', () => {
    const data = record(numberHarvesting.createState());
    const sweep = { windowStart: T0, ended: 1, matched: 1, callees: [1], fired: false, evidence: null };
    expect(() => codecOf(numberHarvesting).decode({ ...data, recent: new Array<number>(2 + 2 * RECENT_CALLEE_CAP + 2).fill(1) })).toThrow(RangeError);
    expect(() => codecOf(numberHarvesting).decode({ ...data, short: { ...sweep, callees: new Array<number>(DISTINCT_CALLEE_CAP + 1).fill(1) } })).toThrow(RangeError);
    expect(() => codecOf(numberHarvesting).decode({ ...data, short: { ...sweep, evidence: ['a', 1, 'b'] } })).toThrow(RangeError);
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

  it("a row's segments (both tables' candidate rings, the sketch, the contact history) each behave as their model, across restores", () => {
    const next = random(64);
    const codec = codecOf(bulkMessaging);
    let st = createBulkMessagingState();
    setHead(st, TABLE_1.size, DAY);
    setHead(st, TABLE_2.size, HOUR);
    const rings: [number, number][][] = [[], []];
    const contacts: number[] = [];
    const bits = new Set<number>();
    for (let i = 0; i < 3_000; i++) {
      const r = next();
      if (r < 0.5) {
        const index = next() < 0.7 ? 0 : 1;
        const part = index === 0 ? TABLE_1 : TABLE_2;
        const ring = rings[index] ?? [];
        const content = (Math.floor(next() * 200) * 2654435761) >>> 0;
        const recipient = (Math.floor(next() * 50) * 40503) >>> 0;
        const expected = ring.find(([c]) => c === content)?.[1];
        expect(firstRecipient(st, part, content)).toBe(expected);
        if (expected === undefined) {
          addCandidate(st, part, content, recipient);
          if (ring.length === CANDIDATE_CAP) ring.shift();
          ring.push([content, recipient]);
        }
      } else if (r < 0.51) {
        const index = next() < 0.5 ? 0 : 1;
        clearCandidates(st, index === 0 ? TABLE_1 : TABLE_2);
        rings[index] = [];
      } else if (r < 0.8) {
        // Hashes on both sides of 2^31, from a pool larger than the history.
        const hash = (Math.floor(next() * 900) * 2654435761) >>> 0;
        const known = contacts.includes(hash);
        expect(addContact(st, hash)).toBe(!known);
        if (!known) {
          if (contacts.length === CONTACT_HISTORY_CAP) contacts.shift();
          contacts.push(hash);
        }
      } else {
        const recipient = (Math.floor(next() * 3_000) * 40503) >>> 0;
        addRecipient(st, recipient, T0, DAY);
        bits.add(recipient & (RECIPIENT_SKETCH_BITS - 1));
        const expected = Math.round(-RECIPIENT_SKETCH_BITS * Math.log((RECIPIENT_SKETCH_BITS - bits.size) / RECIPIENT_SKETCH_BITS));
        expect(recipientsAround(st, headAt(st, SKETCH_START), DAY)).toBe(expected);
      }
      if (next() < 0.02) st = codec.decode(structuredClone(codec.encode(st)));
    }
    const data = codec.encode(st) as BulkMessagingData;
    expect([...(data.contacted?.items ?? [])].sort()).toEqual([...contacts].sort());
    expect(data.tables.map((t) => t.candidates.contents.length)).toEqual(rings.map((ring) => ring.length));
    expect(Array.isArray(data.recipients?.bits)).toBe(false);
  });

  it('the recipient sketch gives the linear-counting estimate of its set bits, listed or as a bitmap', () => {
    const st = createBulkMessagingState();
    const sketch = (): RecipientSketchData | null => (codecOf(bulkMessaging).encode(st) as BulkMessagingData).recipients;
    const set = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const bit = (i * 37) % RECIPIENT_SKETCH_BITS;
      addRecipient(st, bit, T0, DAY);
      set.add(bit);
      const zeros = RECIPIENT_SKETCH_BITS - set.size;
      const expected = set.size === 0 ? 0 : Math.round(-RECIPIENT_SKETCH_BITS * Math.log(zeros / RECIPIENT_SKETCH_BITS));
      expect(recipientsAround(st, headAt(st, SKETCH_START), DAY)).toBe(expected);
      expect(Array.isArray(sketch()?.bits)).toBe(set.size <= SPARSE_MAX);
    }
    // A new window starts listed again, and the last one's estimate is kept.
    addRecipient(st, 5, T0 + DAY, DAY);
    expect(sketch()?.bits).toEqual([5]);
    expect(sketch()?.previousEstimate).toBeGreaterThan(200);
    expect(st.view().n).toEqual([5]);
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
