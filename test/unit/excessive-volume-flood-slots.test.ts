import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { CONTACT_FLOOD_RULES, contactFlood } from '../../src/detectors/excessive-volume';
import { FLOOD_SLOTS, floodWindowStart, slotCount, slotNumber, slotTally } from '../../src/detectors/excessive-volume/flood-slots';
import type { Packed } from '../../src/detectors/excessive-volume/packed';
import { FINDING_EVIDENCE } from '../../src/detectors/excessive-volume/volume-finding';
import type { DetectorContext, Finding } from '../../src/detectors/types';
import { RowTable } from '../../src/engine/row-table';
import { windowStart } from '../../src/engine/window';
import type { TelemetryEvent } from '../../src/events/types';
import { PlainWriter, readPlain } from '../../src/io/plain-binary';
import { compilePolicy } from '../../src/policy/compile';
import type { Policy } from '../../src/policy/types';
import { Random } from '../../src/simulate/random';
import { detectorContext } from '../helpers/detector-context';
import { callEvent, HOUR, messageEvent, MINUTE, T0 } from '../helpers/events';

/**
 * excessive_volume_contact_flood keyed per account (flood-slots.ts), against
 * a straightforward reference with a counter and an evidence ring per
 * account and number, as the detector was before: identical findings while
 * an account contacts at most FLOOD_SLOTS numbers in a window of a kind, and
 * past that counts that only under-estimate and findings that are all true
 * floods.
 */
const HOTLINE = '+18005550199';
const RULES = ['calls_to_one_number', 'messages_to_one_number'] as const;

/** Low thresholds, so random traffic floods often; messages' is below FINDING_EVIDENCE, so a finding carries every event. */
const LOW = { allow: { destinations: [HOTLINE] }, rules: { calls_to_one_number: { threshold: 12 }, messages_to_one_number: { threshold: 6 } } };
const DEFAULTS = { allow: { destinations: [HOTLINE] } };

const kindOf = (e: TelemetryEvent): number => (e.type === 'call' ? 0 : 1);
const counted = (e: TelemetryEvent, policy: Policy): boolean =>
  (e.type === 'message' || (e.type === 'call' && e.phase === 'start')) && !policy.allow.destinations.has(e.to);

type Seen = readonly [account: string, rule: string, windowStart: number, detectedAt: number, metrics: Finding['metrics'], evidence: readonly string[]];
const seen = (f: Finding): Seen => [f.accountId, f.rule, f.windowStart, f.detectedAt, f.metrics, f.evidence];

/** The detector as it was: per account, kind and number, a tumbling counter with a fired flag and a ring of the last FINDING_EVIDENCE events. */
class PerPairReference {
  private readonly pairs = new Map<string, { windowStart: number; count: number; fired: boolean; recent: { id: string; time: number }[] }>();
  readonly late: string[] = [];

  constructor(private readonly policy: Policy) {}

  process(e: TelemetryEvent, ctx: DetectorContext): Seen[] {
    if ((e.type !== 'call' && e.type !== 'message') || !counted(e, this.policy)) return [];
    const rule = RULES[kindOf(e)] ?? 'calls_to_one_number';
    const config = ctx.rule(rule);
    if (!config) return [];
    const key = `${e.accountId}>${e.to}>${rule}`;
    const pair = this.pairs.get(key) ?? { windowStart: Number.NEGATIVE_INFINITY, count: 0, fired: false, recent: [] };
    this.pairs.set(key, pair);
    const start = windowStart(e.eventTime, config.windowMs);
    if (start < pair.windowStart) {
      this.late.push(rule);
      return [];
    }
    if (start > pair.windowStart) Object.assign(pair, { windowStart: start, count: 0, fired: false });
    pair.count++;
    pair.recent = [...pair.recent, { id: e.eventId, time: e.eventTime }].slice(-FINDING_EVIDENCE);
    if (pair.fired || pair.count <= config.threshold) return [];
    pair.fired = true;
    const metric = e.type === 'call' ? 'calls' : 'messages';
    const evidence = pair.recent.filter((r) => r.time >= start).map((r) => r.id);
    return [[e.accountId, rule, start, e.eventTime, { [metric]: pair.count }, evidence]];
  }
}

/** contactFlood driven directly, one state per key. */
class Direct {
  readonly states = new Map<string, Packed>();
  readonly late: string[] = [];

  constructor(readonly policy: Policy) {}

  ctx(accountId: string): DetectorContext {
    return detectorContext(this.policy, accountId, { late: (rule) => this.late.push(rule) });
  }

  process(e: TelemetryEvent): readonly Finding[] {
    const key = contactFlood.keyOf(e);
    let state = this.states.get(key);
    if (state === undefined) this.states.set(key, (state = contactFlood.createState()));
    return contactFlood.onEvent(state, e, this.ctx(e.accountId));
  }
}

/**
 * Random traffic over three hours, in event-time order: per account a pool of
 * numbers (a few much more popular than the rest), calls (with answers and
 * ends, which are not counted) and messages, and the hotline now and then.
 */
function traffic(seed: number, accounts: number, poolSize: (rnd: Random) => number): TelemetryEvent[] {
  const rnd = new Random(seed);
  const events: TelemetryEvent[] = [];
  for (let a = 0; a < accounts; a++) {
    const account = `acct-${seed}-${a}`;
    const pool = poolSize(rnd);
    const n = rnd.int(50, 600);
    let t = T0 + rnd.int(0, HOUR);
    for (let i = 0; i < n; i++) {
      t += rnd.int(0, 40) * 1000;
      // Squaring skews the draw towards the pool's first numbers: the heavy ones.
      const r = rnd.next();
      const to = rnd.next() < 0.03 ? HOTLINE : `+1303555${String(1000 + Math.floor(r * r * pool))}`;
      if (rnd.next() < 0.4) {
        const id = `${account}-call-${i}`;
        events.push(callEvent(account, t, { to, callId: id }));
        if (rnd.next() < 0.5) events.push(callEvent(account, t + 2000, { to, callId: id, phase: 'answer' }));
      } else {
        events.push(messageEvent(account, t, { to }));
      }
    }
  }
  return events.sort((x, y) => x.eventTime - y.eventTime);
}

/** Distinct counted numbers per account, kind and window: the most an account contacted. */
function mostNumbersInAWindow(events: readonly TelemetryEvent[], policy: Policy): number {
  const numbers = new Map<string, Set<string>>();
  for (const e of events) {
    if ((e.type !== 'call' && e.type !== 'message') || !counted(e, policy)) continue;
    const key = `${e.accountId}/${kindOf(e)}/${windowStart(e.eventTime, HOUR)}`;
    numbers.set(key, (numbers.get(key) ?? new Set()).add(e.to));
  }
  return Math.max(...[...numbers.values()].map((s) => s.size));
}

function expectRoundTrip(state: Packed): void {
  const codec = contactFlood.codec;
  if (!codec) throw new Error('contactFlood has no codec');
  const data = codec.encode(state);
  const wire = new PlainWriter();
  wire.begin().value(data);
  const back = codec.decode(readPlain(wire.take()));
  expect(back).toBeInstanceOf(RowTable);
  expect((back as RowTable).view()).toStrictEqual((state as RowTable).view());
  expect(codec.encode(back)).toStrictEqual(data);
}

describe('contact flood per account, up to FLOOD_SLOTS numbers', () => {
  it.each([
    ['low thresholds', 1, LOW],
    ['low thresholds', 2, LOW],
    ['default thresholds', 3, DEFAULTS],
  ])('finds exactly what a counter per number finds (%s, seed %d)', (_name, seed, raw) => {
    const policy = compilePolicy(raw, CONTACT_FLOOD_RULES);
    // Plus one account that fills every slot of both kinds in its first hour, a third of each kind's contacts to one number.
    const full = Array.from({ length: 12 * FLOOD_SLOTS }, (_, i) => {
      const j = i >> 1;
      return (i % 2 === 0 ? callEvent : messageEvent)('full', T0 + i * 5_000, { to: `+1303555${String(1000 + (j % 3 === 0 ? 0 : j % FLOOD_SLOTS))}` });
    });
    const events = [...traffic(seed, 40, (rnd) => rnd.int(1, FLOOD_SLOTS + 1)), ...full].sort((x, y) => x.eventTime - y.eventTime);
    expect(mostNumbersInAWindow(events, policy)).toBeLessThanOrEqual(FLOOD_SLOTS);
    const reference = new PerPairReference(policy);
    const direct = new Direct(policy);
    const expected = events.flatMap((e) => reference.process(e, direct.ctx(e.accountId)));
    const found = events.flatMap((e) => direct.process(e).map(seen));
    expect(found).toEqual(expected);
    // Enough findings, crossings late in full windows included, that the comparison can fail.
    expect(found.length).toBeGreaterThan(seed === 3 ? 2 : 30);
    expect(mostNumbersInAWindow(events, policy)).toBe(FLOOD_SLOTS);
    for (const state of direct.states.values()) expectRoundTrip(state);
  });
});

describe('contact flood per account, past FLOOD_SLOTS numbers', () => {
  it.each([11, 12, 13])('never over-counts, and every finding is a true flood of the number its evidence went to (seed %d)', (seed) => {
    const policy = compilePolicy(LOW, CONTACT_FLOOD_RULES);
    const events = traffic(seed, 25, (rnd) => rnd.int(FLOOD_SLOTS, 8 * FLOOD_SLOTS));
    expect(mostNumbersInAWindow(events, policy)).toBeGreaterThan(2 * FLOOD_SLOTS);
    const direct = new Direct(policy);
    const reference = new PerPairReference(policy);
    const byId = new Map(events.map((e) => [e.eventId, e] as const));
    /** True counts per account, kind, window and number. */
    const truth = new Map<string, number>();
    const trueKey = (account: string, kind: number, start: number, to: string): string => `${account}/${kind}/${start}/${to}`;
    const flagged = new Set<string>();
    let findings = 0;
    let under = 0;
    let full = 0;
    let overCounts = 0;
    events.forEach((e, i) => {
      const ctx = direct.ctx(e.accountId);
      const exact = reference.process(e, ctx);
      const found = direct.process(e);
      if ((e.type !== 'call' && e.type !== 'message') || !counted(e, policy)) {
        expect(found).toEqual([]);
        return;
      }
      const kind = kindOf(e);
      const start = windowStart(e.eventTime, HOUR);
      const key = trueKey(e.accountId, kind, start, e.to);
      truth.set(key, (truth.get(key) ?? 0) + 1);
      for (const f of found) {
        findings++;
        const rule = RULES[kind] ?? '';
        const threshold = direct.ctx(e.accountId).rule(rule)?.threshold ?? 0;
        const estimate = Object.values(f.metrics)[0] ?? 0;
        const trueCount = truth.get(key) ?? 0;
        // Fired by this event, for its number: a true flood, counted at most as often as it happened.
        expect(estimate).toBeLessThanOrEqual(trueCount);
        expect(trueCount).toBeGreaterThan(threshold);
        if (estimate < trueCount) under++;
        // Once per number and window.
        expect(flagged.has(key)).toBe(false);
        flagged.add(key);
        // The evidence: this number's events of this window only, this event among them, at most FINDING_EVIDENCE.
        expect(f.evidence).toContain(e.eventId);
        expect(f.evidence.length).toBeLessThanOrEqual(FINDING_EVIDENCE);
        for (const id of f.evidence) {
          const behind = byId.get(id);
          expect(behind?.type === 'call' || behind?.type === 'message' ? [behind.accountId, behind.to, windowStart(behind.eventTime, HOUR)] : id).toEqual([e.accountId, e.to, start]);
        }
        // A finding the exact counter made at this very event has the same evidence (capped alike).
        const same = exact.find((x) => x[1] === f.rule);
        if (same !== undefined && estimate === trueCount) expect(f.evidence).toEqual(same[5]);
      }
      // Every count kept for this account is at most the true one (tallied, not expected per slot: this runs on every event).
      const state = direct.states.get(e.accountId);
      if (state === undefined) throw new Error('no state');
      const slots = slotCount(state, kind);
      if (slots === FLOOD_SLOTS) full++;
      for (let j = 0; j < slots; j++) {
        if (slotTally(state, kind, j) > (truth.get(trueKey(e.accountId, kind, floodWindowStart(state, kind), slotNumber(state, kind, j))) ?? 0)) overCounts++;
      }
      if (i % 500 === 0) expectRoundTrip(state);
    });
    expect(overCounts).toBe(0);
    // The comparison can fail: there were findings, some made on under-estimates, and full slots.
    expect(findings).toBeGreaterThan(10);
    expect(under).toBeGreaterThan(0);
    expect(full).toBeGreaterThan(0);
    for (const state of direct.states.values()) expectRoundTrip(state);
  });

  it('still catches a flood under the default call limit: 27 calls to one number among 200 to 173 others', () => {
    const policy = compilePolicy(DEFAULTS, CONTACT_FLOOD_RULES);
    const direct = new Direct(policy);
    // The flood's calls spread evenly among calls to numbers never called twice: the worst case for the slots.
    const events = Array.from({ length: 200 }, (_, i) =>
      callEvent('hidden', T0 + i * 15_000, { to: i % 7 === 3 && i < 7 * 27 ? '+12125550142' : `+1303555${String(1000 + i)}` }),
    );
    expect(events.filter((e) => e.to === '+12125550142')).toHaveLength(27);
    const found = events.flatMap((e) => direct.process(e));
    expect(found.map((f) => f.rule)).toEqual(['calls_to_one_number']);
    expect(found[0]?.metrics.calls).toBeLessThanOrEqual(27);
    expect(found[0]?.evidence.every((id) => events.find((e) => e.eventId === id)?.to === '+12125550142')).toBe(true);
  });

  it('flags a number once an hour, even when other numbers cancel its count after it fired', () => {
    const policy = compilePolicy(DEFAULTS, CONTACT_FLOOD_RULES);
    const direct = new Direct(policy);
    const victim = '+12125550142';
    const first = Array.from({ length: 21 }, (_, i) => callEvent('persistent', T0 + i * 10_000, { to: victim }));
    // Every FLOOD_SLOTS + 1 fresh numbers cancel one call of each unfired number: 30 such rounds would take an unfired 21 to nothing.
    const noise = Array.from({ length: 30 * (FLOOD_SLOTS + 1) }, (_, i) => callEvent('persistent', T0 + 300_000 + i * 1000, { to: `+1303555${String(1000 + i)}` }));
    const again = Array.from({ length: 30 }, (_, i) => callEvent('persistent', T0 + 1_400_000 + i * 10_000, { to: victim }));
    const found = [...first, ...noise, ...again].flatMap((e) => direct.process(e));
    expect(found.map((f) => [f.windowStart, f.metrics])).toEqual([[T0, { calls: 21 }]]);
    // Next hour, afresh.
    const nextHour = Array.from({ length: 21 }, (_, i) => callEvent('persistent', T0 + HOUR + i * 10_000, { to: victim }));
    expect(nextHour.flatMap((e) => direct.process(e)).map((f) => [f.windowStart, f.metrics])).toEqual([[T0 + HOUR, { calls: 21 }]]);
  });

  it('flags two numbers flooded in the same hour, once each, each with its own evidence', () => {
    const direct = new Direct(compilePolicy(DEFAULTS, CONTACT_FLOOD_RULES));
    const events = Array.from({ length: 60 }, (_, i) => messageEvent('two', T0 + i * 1000, { to: i % 2 === 0 ? '+12125550142' : '+12125550143' }));
    const lowered = new Direct(compilePolicy({ rules: { messages_to_one_number: { threshold: 20 } } }, CONTACT_FLOOD_RULES));
    expect(events.flatMap((e) => direct.process(e))).toEqual([]);
    const found = events.flatMap((e) => lowered.process(e));
    expect(found.map((f) => [f.detectedAt, f.metrics])).toEqual([
      [T0 + 40_000, { messages: 21 }],
      [T0 + 41_000, { messages: 21 }],
    ]);
    expect(found[0]?.evidence).toEqual(events.filter((_, i) => i % 2 === 0).slice(11, 21).map((e) => e.eventId));
    expect(found[1]?.evidence).toEqual(events.filter((_, i) => i % 2 === 1).slice(11, 21).map((e) => e.eventId));
  });
});

describe('contact flood per account: windows and late events', () => {
  it("reports a straggler from before the account's current hour as late, whichever number it went to", () => {
    const direct = new Direct(compilePolicy(DEFAULTS, CONTACT_FLOOD_RULES));
    direct.process(callEvent('a', T0 + HOUR + 5_000, { to: '+12125550142' }));
    // Same hour, other number: counted. Previous hour, a number not yet seen: late (a counter per number would have taken it).
    direct.process(callEvent('a', T0 + HOUR + 1_000, { to: '+12125550143' }));
    direct.process(callEvent('a', T0 + HOUR - 1_000, { to: '+12125550144' }));
    // Messages keep their own window.
    direct.process(messageEvent('a', T0 + HOUR - 2_000, { to: '+12125550144' }));
    expect(direct.late).toEqual(['calls_to_one_number']);
    const state = direct.states.get('a');
    if (state === undefined) throw new Error('no state');
    expect([floodWindowStart(state, 0), floodWindowStart(state, 1), slotCount(state, 0), slotCount(state, 1)]).toEqual([T0 + HOUR, T0, 2, 1]);
  });

  it('starts each window with no numbers, and forgets a number that is not contacted again', () => {
    const direct = new Direct(compilePolicy(DEFAULTS, CONTACT_FLOOD_RULES));
    const events = [0, 1, 2].flatMap((h) => Array.from({ length: 15 }, (_, i) => callEvent('steady', T0 + h * HOUR + i * 3 * MINUTE, { to: `+121255501${40 + h}` })));
    expect(events.flatMap((e) => direct.process(e))).toEqual([]);
    const state = direct.states.get('steady');
    if (state === undefined) throw new Error('no state');
    expect([slotCount(state, 0), slotNumber(state, 0, 0), slotTally(state, 0, 0)]).toEqual([1, '+12125550142', 15]);
  });
});

describe('contact flood codec', () => {
  it('round-trips every shape: empty, a few numbers, full slots with evidence, fired numbers', () => {
    const direct = new Direct(compilePolicy(LOW, CONTACT_FLOOD_RULES));
    const empty = contactFlood.createState();
    expectRoundTrip(empty);
    expect(contactFlood.codec?.encode(empty)).toEqual({});
    const shapes: Packed[] = [];
    const events = traffic(21, 3, (rnd) => rnd.int(2, 4 * FLOOD_SLOTS));
    events.forEach((e, i) => {
      direct.process(e);
      if (i % 37 === 0) {
        const state = direct.states.get(e.accountId);
        if (state !== undefined) shapes.push((state as RowTable).detach());
      }
    });
    for (const state of shapes) expectRoundTrip(state);
    // The shapes seen include some with fired slots, some with evidence and some with all slots taken.
    const data = shapes.map((s) => contactFlood.codec?.encode(s) as Record<string, { counts: number[]; evidenceIds: string[] } | undefined>);
    const kinds = data.flatMap((d) => [d.calls, d.messages]).filter((k) => k !== undefined);
    expect(kinds.some((k) => k.counts.some((c) => c % 2 === 1))).toBe(true);
    expect(kinds.some((k) => k.evidenceIds.length > 0)).toBe(true);
    expect(kinds.some((k) => k.counts.length === FLOOD_SLOTS)).toBe(true);
  });

  it('has a new format version, so records of the per-number keys are dropped on restore, not misread', () => {
    const codec = contactFlood.codec;
    expect(codec?.version).toBe(2);
    const policy = compilePolicy(undefined, CONTACT_FLOOD_RULES);
    const pipeline = buildPipeline(policy, { ...DEFAULT_PIPELINE_SETTINGS, trackChanges: true }, undefined, [contactFlood]);
    // What version 1 wrote for an account and number that had fired this hour.
    const v1 = {
      calls: { counter: { windowStart: T0, count: 21, fired: true }, recent: { capacity: 10, ids: ['a', 'b'], times: [T0 + 1, T0 + 2], next: 0 } },
    };
    const report = pipeline.restoreState(
      {
        keys: new Map([
          ['old>+12125550142', { excessive_volume_contact_flood: { t: T0 + 2, v: 1, s: v1 } }],
          ['old', { excessive_volume_contact_flood: { t: T0 + 2, v: 1, s: v1 } }],
        ]),
        enforcer: { published: [], history: [] },
      },
      0,
    );
    expect(report).toEqual({ keys: 2, slots: 0, dropped: 2 });
    // The account starts afresh: its 21st call this hour is a finding again.
    const calls = Array.from({ length: 21 }, (_, i) => callEvent('old', T0 + 10 + i, { to: '+12125550142' }));
    expect(calls.flatMap((e) => pipeline.process(e, 0)).map((v) => v.metrics)).toEqual([{ calls: 21 }]);
  });
});
