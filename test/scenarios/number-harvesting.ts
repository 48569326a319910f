import type { CallEvent, Disposition } from '../../src/events/types';
import { Random } from '../../src/simulate/random';
import { callEvent, HOUR, MINUTE } from '../helpers/events';
import type { CategoryScenario } from './types';

const P = 'number-harvesting-';

export interface Outcome {
  disposition: Disposition;
  /** Connected time; ignored (0) unless answered. */
  durationMs?: number;
  /** Time from dialling to answer or give-up. */
  ringMs?: number;
}

/** One call as the platform reports it: start, answer when answered, end with its disposition and connected time. */
export function dial(accountId: string, at: number, to: string, outcome: Outcome): CallEvent[] {
  const start = callEvent(accountId, at, { to });
  const { callId } = start;
  const ring = outcome.ringMs ?? 15_000;
  const duration = outcome.disposition === 'answered' ? (outcome.durationMs ?? 3 * MINUTE) : 0;
  const end = callEvent(accountId, at + ring + duration, { callId, to, phase: 'end', disposition: outcome.disposition, durationMs: duration });
  if (outcome.disposition !== 'answered') return [start, end];
  return [start, callEvent(accountId, at + ring, { callId, to, phase: 'answer' }), end];
}

/** A number in one of a few ordinary US area codes (no premium or high-risk ranges), drawn at random. */
export function randomNumber(rnd: Random): string {
  return `+1${rnd.pick(['212', '646', '718', '415', '312', '617', '305', '206'])}${rnd.int(200, 1000)}${String(rnd.int(0, 10_000)).padStart(4, '0')}`;
}

const UNANSWERED: readonly Disposition[] = ['no_answer', 'busy', 'rejected', 'failed'];

/** Walks +12125550000..+12125550300 in order, a call every 30 s; nearly nobody picks up. */
function warDialler(accountId: string, t0: number): CallEvent[] {
  const rnd = new Random(101);
  return Array.from({ length: 301 }, (_, i) => {
    const roll = rnd.next();
    const outcome: Outcome = roll < 0.1 ? { disposition: 'answered', durationMs: rnd.int(1_000, 20_000) } : { disposition: roll < 0.4 ? 'invalid_number' : 'no_answer', ringMs: rnd.int(2_000, 25_000) };
    return dial(accountId, t0 + HOUR + i * 30_000, `+1212555${String(i).padStart(4, '0')}`, outcome);
  }).flat();
}

/** Checks which random numbers exist: a call every 25-45 s for two hours, most numbers invalid. */
function validator(accountId: string, t0: number): CallEvent[] {
  const rnd = new Random(102);
  const events: CallEvent[] = [];
  for (let at = t0 + 5 * HOUR; at < t0 + 7 * HOUR; at += rnd.int(25_000, 45_000)) {
    const roll = rnd.next();
    const outcome: Outcome =
      roll < 0.7 ? { disposition: 'invalid_number', ringMs: rnd.int(500, 3_000) } : roll < 0.9 ? { disposition: rnd.pick(UNANSWERED), ringMs: rnd.int(5_000, 20_000) } : { disposition: 'answered', durationMs: rnd.int(5_000, 40_000) };
    events.push(...dial(accountId, at, randomNumber(rnd), outcome));
  }
  return events;
}

/** Confirms live numbers: a call every 5-7 minutes all day, hung up within a second or two of the answer. */
function prober(accountId: string, t0: number): CallEvent[] {
  const rnd = new Random(103);
  let at = t0 + 20 * MINUTE;
  return Array.from({ length: 110 }, () => {
    at += rnd.int(5 * MINUTE, 7 * MINUTE);
    const outcome: Outcome = rnd.next() < 0.75 ? { disposition: 'answered', durationMs: rnd.int(300, 1_500), ringMs: rnd.int(4_000, 15_000) } : { disposition: 'no_answer', ringMs: 30_000 };
    return dial(accountId, at, randomNumber(rnd), outcome);
  }).flat();
}

/** 100 calls over a working day, one after another: contacts and new numbers, about 70% answered, minutes each. */
function heavyCaller(accountId: string, t0: number): CallEvent[] {
  const rnd = new Random(201);
  const contacts = Array.from({ length: 40 }, () => randomNumber(rnd));
  const events: CallEvent[] = [];
  let at = t0 + 30 * MINUTE;
  for (let i = 0; i < 100; i++) {
    const to = rnd.next() < 0.5 ? rnd.pick(contacts) : randomNumber(rnd);
    const answered = rnd.next() < 0.7;
    const outcome: Outcome = answered ? { disposition: 'answered', durationMs: rnd.int(MINUTE, 8 * MINUTE), ringMs: rnd.int(4_000, 15_000) } : { disposition: rnd.pick(UNANSWERED), ringMs: rnd.int(10_000, 30_000) };
    events.push(...dial(accountId, at, to, outcome));
    at += (outcome.ringMs ?? 0) + (answered ? (outcome.durationMs ?? 0) : 0) + rnd.int(MINUTE, 4 * MINUTE);
  }
  return events;
}

/** A call centre agent working a contact list: 100 calls in two and a half hours, every other one answered for a couple of minutes. */
function callCentreAgent(accountId: string, t0: number): CallEvent[] {
  const rnd = new Random(202);
  const events: CallEvent[] = [];
  let at = t0 + 2 * HOUR;
  for (let i = 0; i < 100; i++) {
    const ringMs = rnd.int(8_000, 25_000);
    const durationMs = i % 2 === 0 ? rnd.int(90_000, 150_000) : 0;
    events.push(...dial(accountId, at, randomNumber(rnd), durationMs > 0 ? { disposition: 'answered', durationMs, ringMs } : { disposition: rnd.pick(UNANSWERED), ringMs }));
    at += ringMs + durationMs + rnd.int(2_000, 6_000);
  }
  return events;
}

/** Rings an office's extensions +1212555010x a handful of times over the day. */
function officeCaller(accountId: string, t0: number): CallEvent[] {
  const rnd = new Random(203);
  const extensions = ['+12125550101', '+12125550102', '+12125550105', '+12125550101', '+12125550103', '+12125550108', '+12125550102', '+12125550104'];
  return extensions.flatMap((to, i) =>
    dial(accountId, t0 + i * 50 * MINUTE + rnd.int(0, 10 * MINUTE), to, rnd.next() < 0.3 ? { disposition: 'no_answer', ringMs: 30_000 } : { disposition: 'answered', durationMs: rnd.int(MINUTE, 6 * MINUTE) }),
  );
}

/** Ordinary calls, three of them misdialled (a digit off) and so invalid. */
function wrongNumbers(accountId: string, t0: number): CallEvent[] {
  const rnd = new Random(204);
  const ordinary = Array.from({ length: 15 }, (_, i) => dial(accountId, t0 + i * 35 * MINUTE + rnd.int(0, 5 * MINUTE), randomNumber(rnd), { disposition: 'answered', durationMs: rnd.int(MINUTE, 9 * MINUTE) })).flat();
  const typos = ['+16175550198', '+16175550189', '+16175550918'].flatMap((to, i) => dial(accountId, t0 + 3 * HOUR + i * 2 * MINUTE, to, { disposition: 'invalid_number', ringMs: 2_000 }));
  return [...ordinary, ...typos];
}

export const scenario: CategoryScenario = {
  category: 'NUMBER_HARVESTING',
  personas: (t0) => [
    { accountId: `${P}war-dialler`, kind: 'abusive', label: 'war-dialler walking +12125550000..0300 at 2 calls a minute', events: warDialler(`${P}war-dialler`, t0) },
    { accountId: `${P}validator`, kind: 'abusive', label: 'validator hitting random numbers, mostly invalid', events: validator(`${P}validator`, t0) },
    { accountId: `${P}prober`, kind: 'abusive', label: 'prober hanging up on answer, 110 numbers over the day', events: prober(`${P}prober`, t0) },
    { accountId: `${P}heavy-caller`, kind: 'legitimate', label: 'heavy caller, 100 calls a day, normal answer rate', events: heavyCaller(`${P}heavy-caller`, t0) },
    { accountId: `${P}call-centre`, kind: 'legitimate', label: 'call centre agent, 40 calls an hour, half answered', events: callCentreAgent(`${P}call-centre`, t0) },
    { accountId: `${P}office-caller`, kind: 'legitimate', label: "rings an office's extensions a handful of times", events: officeCaller(`${P}office-caller`, t0) },
    { accountId: `${P}wrong-numbers`, kind: 'legitimate', label: 'a few misdialled, invalid numbers', events: wrongNumbers(`${P}wrong-numbers`, t0) },
  ],
};
