import { automatedOrigination, type AutomatedOriginationState } from '../../src/detectors/automated-origination';
import { evidenceSince, SAMPLE } from '../../src/detectors/automated-origination/evidence-log';
import { AUTOMATED_ORIGINATION_RULES } from '../../src/detectors/automated-origination/rules';
import type { DetectorContext, Finding } from '../../src/detectors/types';
import type { TelemetryEvent } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { Random } from '../../src/simulate/random';
import { callEvent, HOUR, messageEvent, MINUTE, T0 } from '../helpers/events';

/**
 * automated_origination keeps the ids of its `recent`, `calls` and `messages`
 * samples only when a finding could be near. Its evidence must still be what
 * samples kept always give: the last ten originations (of the kind, for
 * regular_interarrival) pushed to the sample, those of the finding's span.
 * Limits are lowered so each cadence rule fires many times, yet stay ten and
 * more above zero so that ids are really left out.
 */
const CAPACITY = 10;
/** Busy minutes and active hours at several originations each, and (tight) at one each: each pushed id may then move a run or the active hours by one, the case the margin is for. */
const POLICIES = {
  loose: {
    rules: {
      sustained_origination_rate: { threshold: 14, windowMs: 15 * MINUTE, params: { minPerMinute: 3 } },
      regular_interarrival: { threshold: 0, windowMs: HOUR, params: { minEvents: 22, maxCv: 0.1, maxMeanGapSeconds: 120 } },
      no_diurnal_rest: { threshold: 16, windowMs: 24 * HOUR, params: { minPerHour: 4 } },
    },
  },
  tight: {
    rules: {
      sustained_origination_rate: { threshold: 14, windowMs: 15 * MINUTE, params: { minPerMinute: 1 } },
      regular_interarrival: { threshold: 0, windowMs: HOUR, params: { minEvents: 13, maxCv: 0.1, maxMeanGapSeconds: 120 } },
      no_diurnal_rest: { threshold: 14, windowMs: 24 * HOUR, params: { minPerHour: 1 } },
    },
  },
};
const CADENCE_RULES = new Set(['sustained_origination_rate', 'regular_interarrival', 'no_diurnal_rest']);

type Mode = 'burst' | 'regular' | 'steady' | 'sparse' | 'sleep' | 'trickle' | 'hourly';

/**
 * Accounts switching between bursts (several a minute, with pauses that break
 * runs), clockwork calls or messages (sometimes jittered), steady hourly use
 * (active hours), one a minute or one an hour, sparse use and sleep; group messages (one messageId, several
 * deliveries); stragglers minutes late, a few hours late.
 */
function traffic(seed: number): TelemetryEvent[] {
  const rnd = new Random(seed);
  const out: { arrival: number; event: TelemetryEvent }[] = [];
  for (let a = 0; a < 16; a++) {
    const account = `ao-ev-${seed}-${a}`;
    let t = T0 + rnd.int(0, HOUR);
    const end = T0 + 3 * 24 * HOUR;
    let mode: Mode = 'sparse';
    let modeUntil = t;
    let regularGap = 30_000;
    let regularKind: 'call' | 'message' = 'call';
    while (t < end) {
      if (t >= modeUntil) {
        mode = (['burst', 'regular', 'steady', 'sparse', 'sleep', 'trickle', 'hourly'] as const)[rnd.int(0, 7)]!;
        modeUntil = t + (mode === 'steady' || mode === 'hourly' ? rnd.int(6, 20) * HOUR : mode === 'sleep' ? rnd.int(2, 10) * HOUR : rnd.int(5, 40) * MINUTE);
        regularGap = rnd.int(5_000, 100_000);
        regularKind = rnd.next() < 0.5 ? 'call' : 'message';
      }
      let kind: 'call' | 'message' = rnd.next() < 0.5 ? 'call' : 'message';
      switch (mode) {
        case 'burst':
          t += rnd.next() < 0.03 ? rnd.int(MINUTE, 3 * MINUTE) : rnd.int(1_000, 20_000);
          break;
        case 'regular':
          kind = regularKind;
          t += rnd.next() < 0.03 ? rnd.int(1, 3 * regularGap) : regularGap + rnd.int(-regularGap / 50, regularGap / 50);
          break;
        case 'steady':
          t += rnd.int(2 * MINUTE, 25 * MINUTE);
          break;
        case 'trickle':
          t += rnd.int(50_000, 62_000);
          break;
        case 'hourly':
          t += rnd.int(50 * MINUTE, 62 * MINUTE);
          break;
        case 'sparse':
          t += rnd.int(10 * MINUTE, 3 * HOUR);
          break;
        case 'sleep':
          t = modeUntil;
          continue;
      }
      const r = rnd.next();
      const at = r < 0.05 ? t - rnd.int(0, 4 * MINUTE) : r < 0.06 ? t - rnd.int(0, 30 * HOUR) : t;
      if (kind === 'call') {
        out.push({ arrival: t, event: callEvent(account, at) });
        // Ends are not originations; a short answered call is another rule's evidence.
        if (rnd.next() < 0.2) out.push({ arrival: t + 3_000, event: callEvent(account, at + 3_000, { phase: 'end', disposition: 'answered', durationMs: 2_000 }) });
      } else {
        const messageId = `${account}-m${out.length}`;
        const deliveries = rnd.next() < 0.1 ? rnd.int(2, 5) : 1;
        for (let d = 0; d < deliveries; d++) out.push({ arrival: t, event: messageEvent(account, at, { messageId, originChannel: rnd.next() < 0.3 ? 'api' : 'app' }) });
      }
    }
  }
  // Accounts interleaved by arrival (a stable sort): stragglers arrive after events newer than they are.
  return out.sort((x, y) => x.arrival - y.arrival).map((x) => x.event);
}

interface Sampled {
  id: string;
  time: number;
}

/** The samples as the detector kept them before: every origination in `recent`, every one in order in its kind's. */
interface Reference {
  lastMessageId: string | undefined;
  recent: Sampled[];
  calls: Sampled[];
  messages: Sampled[];
  last: { calls: number; messages: number };
}

const expected = (sample: Sampled[], from: number): string[] =>
  sample
    .slice(-CAPACITY)
    .filter((e) => e.time >= from)
    .map((e) => e.id);

describe('automated_origination evidence, kept only near a limit', () => {
  it.each([
    ['loose', 1],
    ['loose', 2],
    ['loose', 3],
    ['tight', 4],
    ['tight', 5],
    ['tight', 6],
  ] as const)('is what samples kept always give (%s limits, seed %i)', (limits, seed) => {
    const policy = compilePolicy(POLICIES[limits], AUTOMATED_ORIGINATION_RULES);
    const states = new Map<string, AutomatedOriginationState>();
    const refs = new Map<string, Reference>();
    const checked = new Map<string, number>();
    let withheld = 0;
    const events = traffic(seed);
    // Delivered out of order: a few events swapped with a later neighbour.
    const rnd = new Random(seed + 100);
    for (let i = 0; i + 1 < events.length; i++) if (rnd.next() < 0.03) [events[i], events[i + 1]] = [events[i + 1]!, events[i]!];
    for (const event of events) {
      if (event.type !== 'call' && event.type !== 'message') continue;
      const state = states.get(event.accountId) ?? automatedOrigination.createState();
      states.set(event.accountId, state);
      const ref = refs.get(event.accountId) ?? { lastMessageId: undefined, recent: [], calls: [], messages: [], last: { calls: Number.NEGATIVE_INFINITY, messages: Number.NEGATIVE_INFINITY } };
      refs.set(event.accountId, ref);
      const origination = event.type === 'call' ? event.phase === 'start' : event.messageId !== ref.lastMessageId;
      if (event.type === 'message') ref.lastMessageId = event.messageId;
      if (origination) {
        const sampled = { id: event.eventId, time: event.eventTime };
        ref.recent.push(sampled);
        const kind = event.type === 'call' ? 'calls' : 'messages';
        if (event.eventTime >= ref.last[kind]) {
          ref[kind].push(sampled);
          ref.last[kind] = event.eventTime;
        }
      }
      const ctx: DetectorContext = { policy, watermark: event.eventTime - MINUTE, rule: (name) => policy.rules[name], late: () => undefined, schedule: () => undefined };
      const findings: readonly Finding[] = automatedOrigination.onEvent(state, event, ctx);
      for (const f of findings.filter((x) => CADENCE_RULES.has(x.rule))) {
        const sample = f.rule !== 'regular_interarrival' ? ref.recent : event.type === 'call' ? ref.calls : ref.messages;
        expect(f.evidence).toEqual(expected(sample, f.windowStart));
        checked.set(f.rule, (checked.get(f.rule) ?? 0) + 1);
      }
      // The recent sample holding fewer ids than one kept always.
      if (evidenceSince(state, SAMPLE.recent, Number.NEGATIVE_INFINITY).length < Math.min(ref.recent.length, CAPACITY)) withheld++;
    }
    // Every cadence rule fired several times, and ids were left out much of the time.
    for (const rule of CADENCE_RULES) expect(checked.get(rule) ?? 0).toBeGreaterThanOrEqual(3);
    expect(withheld).toBeGreaterThan(events.length / 20);
  });
});
