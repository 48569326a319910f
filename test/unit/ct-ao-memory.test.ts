import { automatedOrigination, type AutomatedOriginationState } from '../../src/detectors/automated-origination';
import type { AutomatedOriginationData } from '../../src/detectors/automated-origination/codec';
import { clearEvidence, evidenceFromData as aoEvidenceFromData, evidenceLength, evidenceSince as aoEvidenceSince, pushEvidence as aoPushEvidence, SAMPLE, type Sample } from '../../src/detectors/automated-origination/evidence-log';
import { gapCount, gapsFromData, gapStats, gapsToData, pushGap } from '../../src/detectors/automated-origination/gap-ring';
import { AUTOMATED_ORIGINATION_RULES, EVIDENCE_SAMPLE, GAP_RING_CAPACITY } from '../../src/detectors/automated-origination/rules';
import { ACTIVITY_ACTIVE, ACTIVITY_PER_HOUR, AUTOMATED_ORIGINATION_ROWS, CALLS, MESSAGES } from '../../src/detectors/automated-origination/state';
import { connectionTime, type ConnectionTimeState } from '../../src/detectors/connection-time';
import type { ConnectionTimeData } from '../../src/detectors/connection-time/codec';
import { evidenceFromData, evidenceSince, evidenceToData, pushEvidence } from '../../src/detectors/connection-time/evidence-log';
import { openCount } from '../../src/detectors/connection-time/open-calls';
import { CONNECTION_TIME_RULES, EVIDENCE_SAMPLE as CT_EVIDENCE_SAMPLE, MAX_OPEN_CALLS, RECENTLY_ENDED_CAP } from '../../src/detectors/connection-time/rules';
import { CONNECTION_TIME_ROWS } from '../../src/detectors/connection-time/state';
import type { Detector, DetectorContext } from '../../src/detectors/types';
import { EvidenceRing } from '../../src/engine/evidence-ring';
import type { TelemetryEvent } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import type { RuleDefaults } from '../../src/policy/types';
import { Random } from '../../src/simulate/random';
import { callEvent, HOUR, messageEvent, MINUTE, T0 } from '../helpers/events';

/**
 * The per-account state of connection_time and automated_origination is
 * shaped for accounts that never come near a limit: parts made on first
 * need, shared read-only parts until then, exact-size lists, one evidence log
 * for every automated_origination rule. These tests hold the new structures
 * to the ones they replace (EvidenceRing, a Float32Array gap ring), check
 * that absent parts stay absent through the codecs. Heap per account is a
 * benchmark figure (make bench), not a test: this machine is shared and noisy.
 */

function drive<S>(detector: Detector<S>, defaults: Readonly<Record<string, RuleDefaults>>, events: readonly TelemetryEvent[], state = detector.createState()): S {
  const policy = compilePolicy(undefined, defaults);
  for (const event of events) {
    const ctx: DetectorContext = { policy, watermark: event.eventTime - MINUTE, rule: (name) => policy.rules[name], late: () => undefined, schedule: () => undefined };
    detector.onEvent(state, event, ctx);
  }
  return state;
}

/** One call (start, answer, end after a minute) and two messages: the benchmark's account. */
function ordinaryDay(account: string, at: number): TelemetryEvent[] {
  const callId = `${account}-call`;
  return [
    callEvent(account, at, { callId }),
    callEvent(account, at + 2_000, { callId, phase: 'answer' }),
    callEvent(account, at + 60_000, { callId, phase: 'end', disposition: 'answered', durationMs: 58_000 }),
    messageEvent(account, at + 70_000),
    messageEvent(account, at + 70_001),
  ];
}

describe('connection_time state, a row shaped for ordinary accounts', () => {
  const codec = connectionTime.codec!;
  const run = (events: TelemetryEvent[], state?: ConnectionTimeState): ConnectionTimeState => drive(connectionTime, CONNECTION_TIME_RULES, events, state);
  const record = (state: ConnectionTimeState): ConnectionTimeData => codec.encode(state) as ConnectionTimeData;

  it('holds no tails while fresh, exactly what an account keeps after, and none for its calls once they have ended', () => {
    const fresh = connectionTime.createState();
    expect(fresh.view()).toEqual({ head: [...CONNECTION_TIME_ROWS.fresh], ints: [...(CONNECTION_TIME_ROWS.freshInts ?? [])], n: [], s: [] });
    const [start, answer, end] = ordinaryDay('ct-mem', T0);
    const state = run([start!, answer!]);
    // The open call: its id and answer event's id; its answer time and long-checked flag.
    expect(state.view()).toMatchObject({ n: [answer!.eventTime, 0], s: ['ct-mem-call', answer!.eventId] });
    expect(openCount(state)).toBe(1);
    run([end!], state);
    expect(openCount(state)).toBe(0);
    // Left: the ended call's id, and its end event as evidence with its time.
    expect(state.view()).toMatchObject({ n: [end!.eventTime], s: ['ct-mem-call', end!.eventId] });
    const d = record(state);
    expect(d.daily.closedMs).toBe(58_000);
    expect(d.longCall).toEqual({ windowStart: Number.NEGATIVE_INFINITY, fired: false });
    expect(d.recentlyEnded).toEqual(['ct-mem-call']);
    expect(evidenceSince(state, T0)).toEqual([end!.eventId]);
  });

  it('reads a fresh state and one whose calls have all ended back from a record, tails and all', () => {
    const fresh = codec.decode(structuredClone(codec.encode(connectionTime.createState())));
    expect(fresh.view()).toEqual(connectionTime.createState().view());
    const ended = run(ordinaryDay('ct-mem-rt', T0));
    const data = codec.encode(ended);
    const back = codec.decode(structuredClone(data));
    expect(back.view()).toEqual(ended.view());
    expect(codec.encode(back)).toEqual(data);
  });

  it('refuses a record with more open or ended calls than the caps', () => {
    const data = record(connectionTime.createState());
    expect(() => codec.decode({ ...data, recentlyEnded: Array.from({ length: RECENTLY_ENDED_CAP + 1 }, (_, i) => `c${i}`) })).toThrow(RangeError);
    const call = { callId: 'c', answeredAt: T0, answerEventId: 'e', longChecked: false };
    expect(() => codec.decode({ ...data, open: Array.from({ length: MAX_OPEN_CALLS + 1 }, (_, i) => ({ ...call, callId: `c${i}` })) })).toThrow(RangeError);
  });

  it('keeps the newest RECENTLY_ENDED_CAP ended calls, newest last, and the evidence and open calls beside them intact', () => {
    const answered = callEvent('ct-mem-many', T0, { callId: 'up', phase: 'answer' });
    const events = Array.from({ length: RECENTLY_ENDED_CAP + 8 }, (_, i) => callEvent('ct-mem-many', T0 + (i + 1) * MINUTE, { callId: `c${i}`, phase: 'end', durationMs: 1_000 }));
    const state = run([answered, ...events]);
    const d = record(state);
    expect(d.recentlyEnded).toEqual(Array.from({ length: RECENTLY_ENDED_CAP }, (_, i) => `c${i + 8}`));
    expect(d.endedEvidence.ids).toEqual(events.slice(-CT_EVIDENCE_SAMPLE).map((e) => e.eventId));
    expect(d.open).toEqual([{ callId: 'up', answeredAt: T0, answerEventId: answered.eventId, longChecked: false }]);
  });

  it('keeps the evidence an EvidenceRing keeps, and reads ring data whichever entry it starts at', () => {
    const rnd = new Random(7);
    for (let trial = 0; trial < 50; trial++) {
      const state = connectionTime.createState();
      const ring = new EvidenceRing(CT_EVIDENCE_SAMPLE);
      const pushes = rnd.int(0, 3 * CT_EVIDENCE_SAMPLE);
      for (let i = 0; i < pushes; i++) {
        const at = T0 + rnd.int(0, 10) * MINUTE;
        pushEvidence(state, `e${i}`, at);
        ring.push(`e${i}`, at);
      }
      const fromRing = evidenceFromData(ring.toData());
      for (const from of [Number.NEGATIVE_INFINITY, T0, T0 + 5 * MINUTE]) {
        expect(evidenceSince(state, from)).toEqual(ring.since(from));
        expect(fromRing.ids.filter((_, i) => (fromRing.times[i] ?? 0) >= from)).toEqual(ring.since(from));
        expect(EvidenceRing.fromData(evidenceToData(state)).since(from)).toEqual(ring.since(from));
      }
    }
  });
});

describe('automated_origination state, a row shaped for ordinary accounts', () => {
  const codec = automatedOrigination.codec!;
  const run = (events: TelemetryEvent[], state?: AutomatedOriginationState): AutomatedOriginationState => drive(automatedOrigination, AUTOMATED_ORIGINATION_RULES, events, state);
  const record = (state: AutomatedOriginationState): AutomatedOriginationData => codec.encode(state) as AutomatedOriginationData;

  it('takes up each rule’s part on first need, and keeps exactly that in its tails', () => {
    const fresh = automatedOrigination.createState();
    expect(fresh.view()).toEqual({ head: [...AUTOMATED_ORIGINATION_ROWS.fresh], ints: [...(AUTOMATED_ORIGINATION_ROWS.freshInts ?? [])], n: [], s: [] });
    expect(record(fresh)).toMatchObject({ lastMessageId: null, rate: null, activity: null, calls: null, messages: null, spacing: null, api: null, shortCalls: null });
    const events = ordinaryDay('ao-mem', T0);
    const state = run(events);
    const d = record(state);
    // One call: a cadence holding its time, no gap yet; two messages: one gap.
    expect(d.calls).toEqual({ last: T0, gaps: { capacity: GAP_RING_CAPACITY, gaps: new Float32Array(0), next: 0 }, runCountedIn: null });
    expect(d.messages?.gaps.gaps).toEqual(Float32Array.of(1));
    expect([d.rate, d.spacing, d.api, d.shortCalls]).toEqual([null, null, null, null]);
    expect(d.activity?.hours).toHaveLength(1);
    // Far from every limit: no evidence ids at all. The tails: the last message id; the active hour and the gap.
    expect(evidenceLength(state)).toBe(0);
    const last = events[events.length - 1];
    expect(state.view()).toMatchObject({ n: [d.activity?.hours[0], 1], s: [last?.type === 'message' ? last.messageId : ''] });
  });

  it('keeps absent parts absent through the codec, and the row as it was', () => {
    for (const state of [automatedOrigination.createState(), run(ordinaryDay('ao-mem-rt', T0))]) {
      const data = codec.encode(state);
      const back = codec.decode(structuredClone(data));
      expect(record(back)).toMatchObject({ rate: null, spacing: null, api: null });
      expect(codec.encode(back)).toEqual(data);
      // The active-hours cache is not recorded (counted again at the next origination); all else comes back.
      const cacheless = (v: { head: number[]; ints?: number[] }): number[][] => [v.head.filter((_, i) => i !== ACTIVITY_PER_HOUR), (v.ints ?? []).filter((_, i) => i !== ACTIVITY_ACTIVE)];
      expect(cacheless(back.view())).toEqual(cacheless(state.view()));
      expect([back.view().n, back.view().s]).toEqual([state.view().n, state.view().s]);
    }
  });

  it('keeps in its activity only the hours of the window', () => {
    const state = run([0, 1, 30, 31, 29.5, 2].map((h) => callEvent('ao-mem-hours', T0 + h * HOUR)));
    // Hours 0 and 1 fell out of the 24-hour window when hour 30 came; hour 2 arrived late, outside it; 29 is inside.
    expect(record(state).activity?.hours).toHaveLength(3);
  });

  it('starts the activity afresh when a reload changes its window, leaving the cadences as they were', () => {
    const state = run([0, 1, 2].map((h) => messageEvent('ao-mem-reload', T0 + h * HOUR)));
    const before = record(state);
    expect(before.activity?.hours).toHaveLength(3);
    const longer = compilePolicy({ rules: { no_diurnal_rest: { windowMs: 48 * HOUR } } }, AUTOMATED_ORIGINATION_RULES);
    const event = messageEvent('ao-mem-reload', T0 + 3 * HOUR);
    automatedOrigination.onEvent(state, event, { policy: longer, watermark: event.eventTime - MINUTE, rule: (name) => longer.rules[name], late: () => undefined, schedule: () => undefined });
    const after = record(state);
    expect(after.activity).toMatchObject({ slots: 48, reportedUntil: null });
    expect(after.activity?.hours).toHaveLength(1);
    // Three gaps of an hour: the two before, and this one, read where they are.
    expect(after.messages?.gaps.gaps).toEqual(Float32Array.of(HOUR, HOUR, HOUR));
  });

  it('answers for every sample exactly as an EvidenceRing of its own would, emptied now and then', () => {
    const rnd = new Random(11);
    const samples = Object.values(SAMPLE);
    for (let trial = 0; trial < 200; trial++) {
      // The log shares its tails with the other parts: a message id before it, hours and gaps after it.
      const log = run([messageEvent('ao-mem-log', T0), messageEvent('ao-mem-log', T0 + MINUTE), callEvent('ao-mem-log', T0 + 2 * MINUTE)]);
      const others = record(log);
      const rings = new Map<Sample, EvidenceRing>(samples.map((s) => [s, new EvidenceRing(EVIDENCE_SAMPLE)]));
      const events = rnd.int(0, 120);
      for (let i = 0; i < events; i++) {
        // An event pushed to one or more samples in turn (as the rules look at it), sometimes a redelivered id or time.
        const id = rnd.next() < 0.1 ? `e${rnd.int(0, i + 1)}` : `e${i}`;
        const at = T0 + rnd.int(0, 30) * MINUTE;
        for (const s of samples.filter(() => rnd.next() < 0.4)) {
          aoPushEvidence(log, id, at, s);
          rings.get(s)!.push(id, at);
        }
        // A sample emptied (as `recent` is, far from its rules' limits): the others keep their events.
        if (rnd.next() < 0.05) {
          const s = samples[rnd.int(0, samples.length)]!;
          clearEvidence(log, s);
          rings.set(s, new EvidenceRing(EVIDENCE_SAMPLE));
        }
        expect(evidenceLength(log)).toBeLessThanOrEqual(samples.length * EVIDENCE_SAMPLE);
      }
      const copy = codec.decode(structuredClone(codec.encode(log)));
      for (const [s, ring] of rings) {
        for (const from of [Number.NEGATIVE_INFINITY, T0 + 10 * MINUTE, T0 + 25 * MINUTE]) {
          expect(aoEvidenceSince(log, s, from)).toEqual(ring.since(from));
          expect(aoEvidenceSince(copy, s, from)).toEqual(ring.since(from));
        }
      }
      // The parts beside the log are untouched by it.
      expect({ ...record(log), evidence: others.evidence }).toEqual(others);
    }
  });

  it('refuses evidence log data that holds more than a sample keeps', () => {
    const over = Array.from({ length: EVIDENCE_SAMPLE + 1 }, (_, i) => i);
    expect(() => aoEvidenceFromData({ ids: over.map((i) => `e${i}`), times: over.map((i) => T0 + i), samples: over.map(() => SAMPLE.recent) })).toThrow(RangeError);
    expect(() => aoEvidenceFromData({ ids: ['a'], times: [], samples: [1] })).toThrow(RangeError);
    expect(() => aoEvidenceFromData({ ids: ['a'], times: [T0], samples: [0] })).toThrow(RangeError);
  });

  it('gives the statistics of a full-size Float32Array ring, whatever it has been filled to so far', () => {
    const rnd = new Random(5);
    const capacity = GAP_RING_CAPACITY;
    for (let trial = 0; trial < 30; trial++) {
      // The messages' ring sits after the calls' in the tail: both are filled, so either's offsets would show.
      const st = automatedOrigination.createState();
      const reference = new Float32Array(capacity);
      let next = 0;
      let filled = 0;
      const pushes = rnd.int(0, 3 * capacity);
      for (let i = 0; i < pushes; i++) {
        // Around 12 s, sometimes hours (past Float32's exact integers), sometimes fractional.
        const gap = rnd.next() < 0.1 ? rnd.int(0, 40_000_000) + 0.5 : 12_000 + rnd.int(-300, 300);
        pushGap(st, MESSAGES, gap);
        pushGap(st, CALLS, gap / 2);
        reference[next] = gap;
        next = (next + 1) % capacity;
        filled = Math.min(filled + 1, capacity);
        const n = rnd.int(0, capacity + 3);
        const count = Math.min(Math.max(n, 2), capacity);
        if (filled < count) {
          expect(gapStats(st, MESSAGES, n)).toBeUndefined();
          continue;
        }
        const newest = Array.from({ length: count }, (_, k) => reference[(next - 1 - k + capacity) % capacity] ?? 0);
        let sum = 0;
        for (const g of newest) sum += g;
        const mean = sum / count;
        let squares = 0;
        for (const g of newest) squares += (g - mean) * (g - mean);
        const cv = mean > 0 ? Math.sqrt(squares / (count - 1)) / mean : Number.POSITIVE_INFINITY;
        expect(gapStats(st, MESSAGES, n)).toEqual({ count, meanMs: mean, spanMs: sum, cv });
      }
      expect(gapCount(st, MESSAGES)).toBe(filled);
      const data = gapsToData(st, MESSAGES);
      expect(data).toEqual({ capacity, gaps: reference.slice(0, filled), next: filled < capacity ? filled : next });
      expect(gapsFromData(structuredClone(data))).toEqual({ gaps: Array.from(data.gaps), next: data.next });
    }
  });

  it('refuses gap ring data whose position does not match the gaps held, or of another capacity', () => {
    const st = automatedOrigination.createState();
    pushGap(st, CALLS, 1_000);
    expect(() => gapsFromData({ ...gapsToData(st, CALLS), next: 0 })).toThrow(RangeError);
    expect(() => gapsFromData({ capacity: 2, gaps: new Float32Array(3), next: 0 })).toThrow(RangeError);
    expect(() => gapsFromData({ capacity: 8, gaps: new Float32Array(1), next: 1 })).toThrow(RangeError);
  });
});
