import { ALL_DETECTORS, defaultRules } from '../../src/detectors';
import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { numberHarvesting } from '../../src/detectors/number-harvesting';
import { blockOf, calleeNumber, isNeighbour } from '../../src/detectors/number-harvesting/callee-number';
import { classifyCallee, recentNumbers } from '../../src/detectors/number-harvesting/recent-callees';
import { NUMBER_HARVESTING_RULES } from '../../src/detectors/number-harvesting/rules';
import { NOOP_OBSERVER, type PipelineObserver } from '../../src/engine/pipeline';
import type { CallEvent, Disposition, TelemetryEvent, Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { Random } from '../../src/simulate/random';
import { HOUR, MINUTE, T0 } from '../helpers/events';
import { dial, randomNumber, scenario, type Outcome } from '../scenarios/number-harvesting';

const DAY = 24 * HOUR;

function run(events: TelemetryEvent[], policy?: unknown, observer?: PipelineObserver): Violation[] {
  const pipeline = buildPipeline(compilePolicy(policy, NUMBER_HARVESTING_RULES), DEFAULT_PIPELINE_SETTINGS, observer, [numberHarvesting]);
  return [...events].sort((a, b) => a.eventTime - b.eventTime).flatMap((e) => pipeline.process(e, 0));
}

const rulesOf = (violations: Violation[]): string[] => violations.map((v) => v.rule);

const NOT_ANSWERED: readonly Disposition[] = ['no_answer', 'busy', 'rejected', 'failed'];

/** A heavy caller: `count` calls at about `perHour`, mostly to random numbers with some redials, ~70% answered for minutes. */
function heavyCaller(accountId: string, count: number, perHour: number, seed: number): CallEvent[] {
  const rnd = new Random(seed);
  const contacts = Array.from({ length: 40 }, () => randomNumber(rnd));
  const gap = HOUR / perHour;
  return Array.from({ length: count }, (_, i) => {
    const to = rnd.next() < 0.3 ? rnd.pick(contacts) : randomNumber(rnd);
    const answered = rnd.next() < 0.7;
    const at = T0 + Math.floor(i * gap + rnd.next() * gap * 0.5);
    return dial(accountId, at, to, answered ? { disposition: 'answered', durationMs: rnd.int(30_000, 10 * MINUTE) } : { disposition: rnd.pick(NOT_ANSWERED) });
  }).flat();
}

/**
 * A call centre agent working a contact list: one call after another, about
 * 40 an hour, every other one answered and talked through for a couple of
 * minutes, for `hours` hours.
 */
function callCentreAgent(accountId: string, hours: number, seed: number): CallEvent[] {
  const rnd = new Random(seed);
  const events: CallEvent[] = [];
  for (let h = 0; h < hours; h++) {
    let at = T0 + h * HOUR;
    for (let i = 0; i < 40; i++) {
      const answered = i % 2 === 0;
      const ringMs = rnd.int(8_000, 25_000);
      const durationMs = answered ? rnd.int(90_000, 150_000) : 0;
      events.push(...dial(accountId, at, randomNumber(rnd), answered ? { disposition: 'answered', durationMs, ringMs } : { disposition: rnd.pick(NOT_ANSWERED), ringMs }));
      at += ringMs + durationMs + rnd.int(2_000, 5_000);
    }
  }
  return events;
}

/** Someone ringing an office's extensions +1212555010x a handful of times over a morning. */
function officeExtensions(accountId: string): CallEvent[] {
  const extensions = ['+12125550101', '+12125550102', '+12125550104', '+12125550101', '+12125550107', '+12125550103', '+12125550102'];
  return extensions.flatMap((to, i) => dial(accountId, T0 + i * 9 * MINUTE, to, i % 3 === 2 ? { disposition: 'no_answer' } : { disposition: 'answered', durationMs: 4 * MINUTE }));
}

/** Ordinary calls, with a few misdialled numbers (typos of a real one) that turn out invalid. */
function wrongNumbers(accountId: string): CallEvent[] {
  const rnd = new Random(7);
  const ordinary = Array.from({ length: 12 }, (_, i) => dial(accountId, T0 + i * 20 * MINUTE, randomNumber(rnd), { disposition: 'answered', durationMs: 5 * MINUTE })).flat();
  const typos = ['+12125550198', '+12125550189', '+12125550919'].flatMap((to, i) => dial(accountId, T0 + 7 * MINUTE + i * MINUTE, to, { disposition: 'invalid_number', ringMs: 2_000 }));
  return [...ordinary, ...typos];
}

/** A war-dialler walking +1212555{from}.. in order, `perMinute` a minute, nearly nobody answering. */
function warDialler(accountId: string, count: number, from: number, perMinute: number): CallEvent[] {
  return Array.from({ length: count }, (_, i) =>
    dial(accountId, T0 + Math.floor((i * MINUTE) / perMinute), `+1212555${String(from + i).padStart(4, '0')}`, { disposition: i % 4 === 0 ? 'invalid_number' : 'no_answer', ringMs: 20_000 }),
  ).flat();
}

describe('NUMBER_HARVESTING building blocks', () => {
  it('reads E.164 numbers as exact integers and compares them', () => {
    expect(calleeNumber('+12125550100')).toBe(12125550100);
    expect(calleeNumber('+999999999999999')).toBe(999999999999999);
    expect(calleeNumber('12125550100')).toBeUndefined();
    expect(isNeighbour(12125550100, 12125550107, 10)).toBe(true);
    expect(isNeighbour(12125550100, 12125550100, 10)).toBe(false);
    expect(isNeighbour(12125550100, 12125550111, 10)).toBe(false);
    // Same step, different length: not the same leading digits.
    expect(isNeighbour(9999999999, 10000000001, 10)).toBe(false);
    expect(blockOf(12125550199, 2)).toBe(121255501);
  });

  it('tells a walk from redials and scattered numbers, and forgets old callees', () => {
    const recent = numberHarvesting.createState();
    const settings = { lookbackMs: HOUR, maxStep: 10, blockDigits: 2 };
    const kinds = [12125550100, 12125550103, 12125550103, 14155550000, 12125550180, 16175550000].map((n, i) => classifyCallee(recent, n, T0 + i, settings, 4));
    expect(kinds).toEqual(['other', 'sequential', 'repeat', 'other', 'sequential', 'other']);
    // The ring holds 4: 12125550100 was overwritten, and a callee from over an hour ago no longer counts.
    expect(recentNumbers(recent)).toHaveLength(4);
    expect(classifyCallee(recent, 12125550150, T0 + 2 * HOUR, settings, 4)).toBe('other');
  });
});

describe('NUMBER_HARVESTING sequential_dialling', () => {
  it('flags a war-dialler walking a range at 2 calls a minute, once per hour, with no phone number in the finding', () => {
    const violations = run(warDialler('walker', 120, 0, 2)).filter((v) => v.rule === 'sequential_dialling');
    expect(violations).toHaveLength(1);
    const v = violations[0] as Violation;
    expect(v).toMatchObject({
      accountId: 'walker',
      category: 'NUMBER_HARVESTING',
      severity: 'high',
      action: 'suspend',
      windowStart: T0,
      windowEnd: T0 + HOUR,
      detectedAt: T0 + Math.floor((21 * MINUTE) / 2),
      metrics: { sequentialCalls: 21 },
      thresholds: { sequentialCalls: 20 },
    });
    expect(v.evidence).toHaveLength(10);
    expect(JSON.stringify(v)).not.toMatch(/\+?1212555/);
  });

  it('allows exactly the threshold and fires one above it', () => {
    // 21 calls in order: 20 steps.
    expect(rulesOf(run(warDialler('edge', 21, 0, 1)))).not.toContain('sequential_dialling');
    expect(rulesOf(run(warDialler('edge', 22, 0, 1)))).toContain('sequential_dialling');
  });

  it('flags a shuffled walk through one block of 100 numbers', () => {
    const rnd = new Random(11);
    const block = Array.from({ length: 100 }, (_, i) => `+1646555${String(4200 + i)}`);
    for (let i = block.length - 1; i > 0; i--) {
      const j = rnd.int(0, i + 1);
      [block[i], block[j]] = [block[j] as string, block[i] as string];
    }
    const events = block.slice(0, 40).flatMap((to, i) => dial('shuffler', T0 + i * 80_000, to, { disposition: 'answered', durationMs: 20_000 }));
    expect(rulesOf(run(events))).toEqual(['sequential_dialling']);
  });

  it('does not count redials of the same few numbers', () => {
    const events = Array.from({ length: 60 }, (_, i) => dial('redialler', T0 + i * 50_000, i % 2 === 0 ? '+12125550100' : '+12125550101', { disposition: 'busy' })).flat();
    expect(rulesOf(run(events))).not.toContain('sequential_dialling');
  });

  it('spares someone ringing an office extensions a handful of times', () => {
    expect(run(officeExtensions('office-visitor'))).toEqual([]);
  });

  it('does not count allow-listed destinations', () => {
    const destinations = Array.from({ length: 60 }, (_, i) => `+1212555${String(i).padStart(4, '0')}`);
    expect(run(warDialler('hunt-group', 60, 0, 2), { allow: { destinations } })).toEqual([]);
    // The same walk with the allow-list one number short still fires: the list is what spares it.
    expect(rulesOf(run(warDialler('hunt-group', 60, 0, 2), { allow: { destinations: destinations.slice(0, 30) } }))).toContain('sequential_dialling');
  });

  it('follows the policy: off, or a wider step', () => {
    expect(rulesOf(run(warDialler('walker', 60, 0, 2), { rules: { sequential_dialling: { mode: 'off' } } }))).not.toContain('sequential_dialling');
    // Every 150th number, each in a block of its own: only a step of 150 or more sees the walk.
    const strided = Array.from({ length: 40 }, (_, i) => dial('strider', T0 + i * MINUTE, `+1212555${String(2000 + i * 150)}`, { disposition: 'no_answer' })).flat();
    expect(rulesOf(run(strided))).not.toContain('sequential_dialling');
    expect(rulesOf(run(strided, { rules: { sequential_dialling: { params: { maxStep: 150 } } } }))).toContain('sequential_dialling');
  });

  it('reports a sequential call whose window is gone as late', () => {
    const late: string[] = [];
    const observer: PipelineObserver = { ...NOOP_OBSERVER, late: (_detector, rule) => late.push(rule) };
    const events = [...warDialler('walker', 3, 0, 1), ...dial('walker', T0 + HOUR + MINUTE, '+12125550003', { disposition: 'no_answer' })];
    const straggler = dial('walker', T0 + HOUR - 10_000, '+12125550004', { disposition: 'no_answer' });
    const pipeline = buildPipeline(compilePolicy(undefined, NUMBER_HARVESTING_RULES), DEFAULT_PIPELINE_SETTINGS, observer, [numberHarvesting]);
    for (const e of [...events, ...straggler]) pipeline.process(e, 0);
    expect(late).toContain('sequential_dialling');
  });
});

describe('NUMBER_HARVESTING unanswered_sweep', () => {
  /** A validator hitting random numbers: most invalid or unanswered. */
  function validator(accountId: string, count: number, answeredEvery: number): CallEvent[] {
    const rnd = new Random(3);
    return Array.from({ length: count }, (_, i) => {
      const outcome: Outcome = i % answeredEvery === 0 ? { disposition: 'answered', durationMs: 40_000 } : { disposition: i % 3 === 0 ? 'no_answer' : 'invalid_number', ringMs: 3_000 };
      return dial(accountId, T0 + i * 30_000, randomNumber(rnd), outcome);
    }).flat();
  }

  it('flags many distinct numbers that mostly go unanswered or are invalid', () => {
    // Over the day its 80 unanswered numbers also make a short_call_sweep; here only the hourly rule is checked.
    const violations = run(validator('validator', 100, 5)).filter((v) => v.rule === 'unanswered_sweep');
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      severity: 'medium',
      action: 'throttle',
      windowStart: T0,
      metrics: { unansweredCallees: 31 },
      thresholds: { unansweredCallees: 30, unansweredShare: 0.6 },
    });
    const metrics = violations[0]?.metrics ?? {};
    expect(metrics.unansweredShare).toBeGreaterThanOrEqual(0.6);
    expect(metrics.endedCalls).toBeGreaterThanOrEqual(31);
    expect(violations[0]?.evidence.length).toBeLessThanOrEqual(10);
  });

  it('needs the share: as many unanswered numbers among mostly answered calls stay silent', () => {
    // 40 distinct unanswered numbers, but 80 calls answered in the same hour (a third unanswered).
    const rnd = new Random(5);
    const events = Array.from({ length: 120 }, (_, i) => dial('busy-seller', T0 + i * 29_000, randomNumber(rnd), i % 3 === 0 ? { disposition: 'no_answer', ringMs: 3_000 } : { disposition: 'answered', durationMs: 10_000 })).flat();
    expect(run(events)).toEqual([]);
  });

  it('counts numbers, not calls: one invalid number dialled 50 times stays silent', () => {
    expect(run(Array.from({ length: 50 }, (_, i) => dial('stubborn', T0 + i * MINUTE, '+12125550000', { disposition: 'invalid_number', ringMs: 1_000 })).flat())).toEqual([]);
  });

  it('allows exactly 30 unanswered numbers an hour', () => {
    const rnd = new Random(9);
    const calls = (n: number): CallEvent[] => Array.from({ length: n }, (_, i) => dial('edge', T0 + i * MINUTE, randomNumber(rnd), { disposition: 'no_answer' })).flat();
    expect(run(calls(30))).toEqual([]);
    expect(rulesOf(run(calls(31)))).toEqual(['unanswered_sweep']);
  });

  it('does not count allow-listed destinations', () => {
    const events = validator('validator', 100, 5);
    const destinations = [...new Set(events.map((e) => e.to))];
    expect(run(events, { allow: { destinations } })).toEqual([]);
  });
});

describe('NUMBER_HARVESTING short_call_sweep', () => {
  /** A prober that hangs up the moment someone answers, a few numbers an hour all day. */
  function prober(accountId: string, count: number): CallEvent[] {
    const rnd = new Random(21);
    return Array.from({ length: count }, (_, i) =>
      dial(accountId, T0 + i * 11 * MINUTE, randomNumber(rnd), i % 4 === 0 ? { disposition: 'no_answer' } : { disposition: 'answered', durationMs: rnd.int(200, 1_800), ringMs: 6_000 }),
    ).flat();
  }

  it('flags many numbers a day connected for under 2 seconds', () => {
    const violations = run(prober('prober', 80));
    expect(rulesOf(violations)).toEqual(['short_call_sweep']);
    expect(violations[0]).toMatchObject({
      severity: 'high',
      action: 'suspend',
      windowStart: T0 - (T0 % DAY),
      windowEnd: T0 - (T0 % DAY) + DAY,
      metrics: { shortCallees: 51, endedCalls: 51, shortShare: 1 },
      thresholds: { shortCallees: 50, shortShare: 0.8 },
    });
  });

  it('allows 50 such numbers a day', () => {
    expect(run(prober('prober', 50))).toEqual([]);
  });

  it('does not count calls that connected for longer', () => {
    const rnd = new Random(22);
    const events = Array.from({ length: 80 }, (_, i) => dial('quick-chats', T0 + i * 11 * MINUTE, randomNumber(rnd), { disposition: 'answered', durationMs: 2_000 })).flat();
    expect(run(events)).toEqual([]);
  });

  it('follows maxConnectedMs from the policy', () => {
    const rnd = new Random(22);
    const events = Array.from({ length: 80 }, (_, i) => dial('quick-chats', T0 + i * 11 * MINUTE, randomNumber(rnd), { disposition: 'answered', durationMs: 2_000 })).flat();
    expect(rulesOf(run(events, { rules: { short_call_sweep: { params: { maxConnectedMs: 3_000 } } } }))).toEqual(['short_call_sweep']);
  });
});

describe('NUMBER_HARVESTING look-alikes stay silent under every rule', () => {
  it('a heavy caller with normal answer rates: 100 calls in an hour, and 100 over a day', () => {
    expect(run(heavyCaller('heavy-hour', 100, 100, 31))).toEqual([]);
    expect(run(heavyCaller('heavy-day', 100, 10, 32))).toEqual([]);
  });

  it('a cold-caller reaching 3 in 10 over a day: many short calls, but not 80% of them', () => {
    /** 100 calls over 13 hours to fresh numbers, `answeredOfTen` in every ten answered for minutes. */
    const coldCalls = (answeredOfTen: number): CallEvent[] => {
      const rnd = new Random(51);
      return Array.from({ length: 100 }, (_, i) =>
        dial('cold-caller', T0 + i * 8 * MINUTE, randomNumber(rnd), i % 10 < answeredOfTen ? { disposition: 'answered', durationMs: rnd.int(MINUTE, 5 * MINUTE) } : { disposition: rnd.pick(NOT_ANSWERED), ringMs: 25_000 }),
      ).flat();
    };
    expect(run(coldCalls(3))).toEqual([]);
    // One in ten answered is a sweep: the share is what spares the cold-caller.
    expect(rulesOf(run(coldCalls(1)))).toEqual(['short_call_sweep']);
  });

  it('someone dialling a few wrong numbers', () => {
    expect(run(wrongNumbers('fat-fingers'))).toEqual([]);
  });

  it('someone ringing an office extensions', () => {
    expect(run(officeExtensions('office-visitor'))).toEqual([]);
  });

  it('a call centre agent working a contact list for a whole shift: 40 calls an hour, half answered, minutes each', () => {
    const shift = callCentreAgent('agent', 8, 41);
    expect(shift.filter((e) => e.phase === 'start').length).toBe(320);
    expect(run(shift)).toEqual([]);
  });
});

describe('NUMBER_HARVESTING scenario', () => {
  const personas = scenario.personas(T0);

  it('keeps every persona within the volume limits and one day', () => {
    for (const p of personas) {
      const starts = p.events.filter((e) => e.type === 'call' && e.phase === 'start').map((e) => e.eventTime);
      const most = (size: number): number => {
        const per = new Map<number, number>();
        for (const t of starts) per.set(Math.floor(t / size), (per.get(Math.floor(t / size)) ?? 0) + 1);
        return Math.max(0, ...per.values());
      };
      expect([p.accountId, most(MINUTE) <= 10, most(HOUR) <= 150]).toEqual([p.accountId, true, true]);
      if (p.kind === 'legitimate') expect(starts.length).toBeLessThanOrEqual(100);
      expect(p.events.every((e) => e.eventTime >= T0 && e.eventTime < T0 + DAY)).toBe(true);
      expect(p.accountId.startsWith('number-harvesting-')).toBe(true);
    }
  });

  it('flags every abusive persona and no legitimate one, with every detector on', () => {
    const pipeline = buildPipeline(compilePolicy(undefined, defaultRules()), DEFAULT_PIPELINE_SETTINGS, undefined, ALL_DETECTORS);
    const events = personas.flatMap((p) => p.events).sort((a, b) => a.eventTime - b.eventTime);
    const violations = events.flatMap((e) => pipeline.process(e, 0));
    const flagged = (id: string): string[] => violations.filter((v) => v.accountId === id).map((v) => `${v.category}/${v.rule}`);
    for (const p of personas) {
      if (p.kind === 'abusive') expect([p.label, flagged(p.accountId).some((r) => r.startsWith('NUMBER_HARVESTING/'))]).toEqual([p.label, true]);
      else expect([p.label, flagged(p.accountId)]).toEqual([p.label, []]);
    }
  });
});
