import { defaultRules } from '../../src/detectors';
import { bulkMessaging } from '../../src/detectors/bulk-messaging';
import { addCandidate, firstRecipient } from '../../src/detectors/bulk-messaging/candidate-ring';
import type { BulkMessagingData } from '../../src/detectors/bulk-messaging/codec';
import { setHead, TABLE_1 } from '../../src/detectors/bulk-messaging/state';
import { HashSet32 } from '../../src/detectors/bulk-messaging/hash-set32';
import { CANDIDATE_CAP, CONTACT_HISTORY_CAP } from '../../src/detectors/bulk-messaging/rules';
import { numberHarvesting } from '../../src/detectors/number-harvesting';
import type { AnyDetector, Detector, DetectorContext, Finding, StateCodec } from '../../src/detectors/types';
import type { TelemetryEvent } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import type { Policy } from '../../src/policy/types';
import { assertPlainData, roundTrip } from '../helpers/codec-roundtrip';
import { callEvent, HOUR, messageEvent, MINUTE, reportEvent, T0 } from '../helpers/events';
import { scenario as bulkScenario } from '../scenarios/bulk-messaging';
import { scenario as harvestingScenario } from '../scenarios/number-harvesting';
import { detectorContext } from '../helpers/detector-context';

/**
 * The changelog contract for bulk_messaging and number_harvesting: a state
 * restored from its encoding behaves exactly as the original. Checked twice:
 * through whole pipelines (roundTrip: the violations published), and on the
 * detector alone (every finding, and the state both end with), because the
 * enforcer de-duplicates a second finding of the same window, which would
 * hide a lost `fired` flag from the violations.
 */
const DAY = 24 * HOUR;
const FRACTIONS = [0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9];

const pad = (i: number): string => String(i).padStart(4, '0');
const byTime = (events: readonly TelemetryEvent[]): TelemetryEvent[] => [...events].sort((a, b) => a.eventTime - b.eventTime);
const scenarioEvents = (s: typeof bulkScenario): TelemetryEvent[] => byTime(s.personas(T0).flatMap((p) => p.events));

function codecOf<S>(detector: Detector<S>): StateCodec<S> {
  if (!detector.codec) throw new Error(`${detector.name} has no codec`);
  return detector.codec;
}

const contextFor = (policy: Policy, accountId: string): DetectorContext => detectorContext(policy, accountId);

/** One detector driven directly, one state per key: no engine, no enforcer between it and its findings. */
class Direct<S> {
  readonly states = new Map<string, S>();

  constructor(
    readonly detector: Detector<S>,
    readonly policy: Policy,
  ) {}

  feed(events: readonly TelemetryEvent[]): Finding[] {
    return events.flatMap((event) => {
      if (!this.detector.eventTypes.includes(event.type)) return [];
      const key = this.detector.keyOf(event);
      let state = this.states.get(key);
      if (state === undefined) this.states.set(key, (state = this.detector.createState()));
      return this.detector.onEvent(state, event, contextFor(this.policy, event.accountId));
    });
  }

  encoded(): Map<string, unknown> {
    const codec = codecOf(this.detector);
    return new Map([...this.states].map(([key, state]) => [key, codec.encode(state)]));
  }

  /** A copy restored as a changelog would: encode, structured clone, decode. */
  restored(): Direct<S> {
    const codec = codecOf(this.detector);
    const copy = new Direct(this.detector, this.policy);
    for (const [key, data] of structuredClone(this.encoded())) copy.states.set(key, codec.decode(data));
    return copy;
  }
}

/**
 * Splits `events` at every point in `splits`, restores, and compares the
 * restored run with the original: violations (roundTrip), findings and the
 * final states. Returns how many violations and findings came after the splits.
 */
function expectSameAfterRestore<S>(detector: Detector<S>, events: readonly TelemetryEvent[], splits: readonly number[], rawPolicy?: unknown): { violations: number; findings: number } {
  const policy = compilePolicy(rawPolicy, defaultRules([detector]));
  const sorted = byTime(events);
  let violations = 0;
  let findings = 0;
  for (const at of splits) {
    const { original, restored } = roundTrip([detector], sorted, at, rawPolicy);
    expect({ at, violations: restored }).toEqual({ at, violations: original });
    violations += original.length;

    const a = new Direct(detector, policy);
    a.feed(sorted.slice(0, at));
    const b = a.restored();
    const rest = sorted.slice(at);
    const found = a.feed(rest);
    expect({ at, findings: b.feed(rest) }).toEqual({ at, findings: found });
    expect({ at, states: b.encoded() }).toEqual({ at, states: a.encoded() });
    findings += found.length;
  }
  return { violations, findings };
}

const splitsOf = (n: number, exact: readonly number[] = []): number[] => [...new Set([...FRACTIONS.map((f) => Math.round(n * f)), ...exact])];

describe('state codecs: bulk_messaging', () => {
  const account = (name: string): string => `codec-bm-${name}`;
  const send = (id: string, at: number, to: string, contentHash: string): TelemetryEvent => messageEvent(id, at, { to, contentHash });

  it('restores the scenario personas at every split, with the policy defaults and with two template tables', () => {
    const events = scenarioEvents(bulkScenario);
    expect(expectSameAfterRestore(bulkMessaging, events, splitsOf(events.length)).violations).toBeGreaterThan(0);
    // Different windows for the two template rules: one table each.
    const twoTables = { rules: { same_content_recipients: { windowMs: HOUR } } };
    expect(expectSameAfterRestore(bulkMessaging, events, splitsOf(events.length), twoTables).violations).toBeGreaterThan(0);
  });

  it('keeps the contact history ring in order: a number pushed out after the restore counts as new again', () => {
    const id = account('history');
    // 520 distinct numbers: the 512-entry ring has wrapped, and the next new number replaces the 9th.
    const day1 = Array.from({ length: 520 }, (_, i) => send(id, T0 + i * MINUTE, `+1312555${pad(i)}`, `${id}-${i}`));
    const day2 = [0, 1, 2].map((i) => send(id, T0 + DAY + i * MINUTE, `+1415555${pad(i)}`, `${id}-next-${i}`));
    const events = [...day1, ...day2, send(id, T0 + DAY + 5 * MINUTE, `+1312555${pad(8)}`, `${id}-again`)];
    const policy = { rules: { new_recipient_fanout: { threshold: 3 } } };
    expect(expectSameAfterRestore(bulkMessaging, events, [520, 521], policy).violations).toBe(2);
  });

  it('keeps the candidate ring in order: a content pushed out after the restore is a candidate again', () => {
    const id = account('candidates');
    // 70 one-off contents: the 64-entry ring has wrapped, and the next one replaces content 6.
    const oneOff = Array.from({ length: 70 }, (_, i) => send(id, T0 + i * MINUTE, `+1312556${pad(i)}`, `${id}-${i}`));
    const later = [send(id, T0 + 80 * MINUTE, `+14155560000`, `${id}-new`), ...[1, 2, 3].map((i) => send(id, T0 + (80 + i) * MINUTE, `+1415556${pad(i)}`, `${id}-6`))];
    const policy = { rules: { same_content_recipients: { threshold: 2 } } };
    expect(expectSameAfterRestore(bulkMessaging, [...oneOff, ...later], [70, 71], policy).violations).toBe(2);
  });

  it('keeps when each template was last sent: a new template replaces the least recently sent one', () => {
    const id = account('templates');
    let at = T0;
    const to = (content: string, recipient: string): TelemetryEvent => send(id, (at += MINUTE), recipient, `${id}-${content}`);
    const eight = Array.from({ length: 8 }, (_, i) => [to(`t${i}`, `+1312559${pad(2 * i)}`), to(`t${i}`, `+1312559${pad(2 * i + 1)}`)]).flat();
    // t0 sent again (to a recipient it had): still 2 recipients, but now the most recently sent, so t1 makes room for t8.
    const events = [...eight, to('t0', '+13125590000'), to('t8', '+14155590001'), to('t8', '+14155590002'), to('t0', '+14155590003')];
    const policy = { rules: { same_content_recipients: { threshold: 2 } } };
    expect(expectSameAfterRestore(bulkMessaging, events, [17, 18, 19], policy).violations).toBe(3);
  });

  it('keeps a template saturated at its recipient cap: later recipients add no campaign evidence', () => {
    const id = account('saturated');
    const a = Array.from({ length: 140 }, (_, i) => send(id, T0 + i * MINUTE, `+1312557${pad(i)}`, `${id}-a`));
    const b = Array.from({ length: 5 }, (_, i) => send(id, T0 + (150 + i) * MINUTE, `+1415557${pad(i)}`, `${id}-b`));
    const { violations } = expectSameAfterRestore(bulkMessaging, [...a, ...b], [60, 100, 130]);
    expect(violations).toBe(3);
  });

  it("keeps the previous window's recipients: reports just after midnight are measured against the day before", () => {
    const id = account('reports');
    const day2 = Date.UTC(2026, 0, 6, 0, 10);
    const day1 = Array.from({ length: 300 }, (_, i) => send(id, T0 + i * MINUTE, `+1312558${pad(i)}`, `${id}-${i}`));
    const fresh = Array.from({ length: 5 }, (_, i) => send(id, day2 + i * MINUTE, `+1415558${pad(i)}`, `${id}-new-${i}`));
    const reports = Array.from({ length: 8 }, (_, i) => reportEvent(id, day2 + (10 + i) * MINUTE, { reporterNumber: `+1312558${pad(i)}`, reason: 'spam' }));
    // Against the ~300 recipients of the day before, 4 reporters (above the threshold of 3) are still under 2%.
    // The last split comes after the finding: a further report must not fire again.
    expect(expectSameAfterRestore(bulkMessaging, [...day1, ...fresh, ...reports], [300, 305, 309, 310, 312]).violations).toBe(4);
  });
  it('restores an account only reported so far: its empty contact history still grows', () => {
    const id = account('reported-only');
    const reported = reportEvent(id, T0, { reporterNumber: '+13125550001', reason: 'spam' });
    // The same number five times: one new recipient, however the empty history was restored.
    const repeats = Array.from({ length: 5 }, (_, i) => send(id, T0 + (i + 1) * MINUTE, '+13125550002', `${id}-${i}`));
    const fresh = [0, 1, 2, 3].map((i) => send(id, T0 + (10 + i) * MINUTE, `+1415555${pad(100 + i)}`, `${id}-new-${i}`));
    const policy = { rules: { new_recipient_fanout: { threshold: 4 } } };
    expect(expectSameAfterRestore(bulkMessaging, [reported, ...repeats, ...fresh], [1], policy).violations).toBe(1);
  });

  it('building blocks restored empty still grow (an empty typed array would never double)', () => {
    const set = HashSet32.fromData(new HashSet32(CONTACT_HISTORY_CAP, 'evict-oldest').toData());
    expect([1, 2, 3, 4, 5, 6].map((h) => set.add(h))).toEqual([true, true, true, true, true, true]);
    expect([set.size, set.has(1), set.has(6)]).toEqual([6, true, true]);
    const codec = codecOf(bulkMessaging);
    const empty = bulkMessaging.createState();
    setHead(empty, TABLE_1.size, DAY);
    const st = codec.decode(structuredClone(codec.encode(empty)));
    for (let c = 1; c <= 6; c++) addCandidate(st, TABLE_1, c, 100 + c);
    expect([1, 6].map((c) => firstRecipient(st, TABLE_1, c))).toEqual([101, 106]);
    expect((codec.encode(st) as BulkMessagingData).tables[0]?.candidates.contents.length).toBe(Math.min(6, CANDIDATE_CAP));
  });
});

describe('state codecs: number_harvesting', () => {
  it('restores the scenario personas at every split', () => {
    const events = scenarioEvents(harvestingScenario);
    expect(expectSameAfterRestore(numberHarvesting, events, splitsOf(events.length)).violations).toBeGreaterThan(0);
  });

  it('keeps the last callee and the recent callees: a walk and its redials continue across the restore', () => {
    const id = 'codec-nh-walk';
    // With blocks of one number, only the step from the last callee makes a call sequential; redials must stay repeats.
    const calls = Array.from({ length: 40 }, (_, i) => {
      const walk = callEvent(id, T0 + i * MINUTE, { to: `+1212555${pad(3 * i)}` });
      return i % 3 === 2 ? [walk, callEvent(id, T0 + i * MINUTE + 20_000, { to: `+1212555${pad(3 * (i - 1))}` })] : [walk];
    }).flat();
    const policy = { rules: { sequential_dialling: { params: { blockDigits: 0 } } } };
    const { violations } = expectSameAfterRestore(numberHarvesting, calls, [1, 5, 10, 15, 20, 25], policy);
    expect(violations).toBeGreaterThan(0);
  });
});

const CODEC_CASES: { name: string; detector: AnyDetector; events: TelemetryEvent[] }[] = [
  { name: 'bulk_messaging', detector: bulkMessaging, events: scenarioEvents(bulkScenario) },
  { name: 'number_harvesting', detector: numberHarvesting, events: scenarioEvents(harvestingScenario) },
];

describe.each(CODEC_CASES)('$name codec', ({ detector, events }) => {
  const codec = codecOf(detector);
  const policy = compilePolicy(undefined, defaultRules([detector]));

  // Several split points, so that windows roll over, flags flip and lists grow in the live state after some snapshot.
  it.each([0.25, 0.5, 0.75])('encodes plain data that decodes and encodes back to the same data, sharing nothing with the live state (split at %p)', (fraction) => {
    const at = Math.round(events.length * fraction);
    const run = new Direct(detector, policy);
    run.feed(events.slice(0, at));
    const encoded = run.encoded();
    expect(encoded.size).toBeGreaterThan(2);
    const frozen = structuredClone(encoded);
    for (const [key, data] of encoded) {
      assertPlainData(data, key);
      expect(codec.encode(codec.decode(data))).toEqual(data);
      expect(codec.encode(codec.decode(structuredClone(data)))).toEqual(data);
      // A decoded state is not tied to the record it came from either.
      const decoded = new Direct(detector, policy);
      decoded.states.set(key, codec.decode(data));
      decoded.feed(events.slice(at).filter((e) => e.accountId === key));
    }
    run.feed(events.slice(at));
    expect(encoded).toEqual(frozen);
    expect(run.encoded()).not.toEqual(frozen);
  });

  it('restores a fresh state as a fresh state', () => {
    const fresh = detector.createState();
    expect(codec.encode(codec.decode(structuredClone(codec.encode(fresh))))).toEqual(codec.encode(fresh));
  });
});
