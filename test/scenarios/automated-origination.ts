import type { CallEvent, MessageEvent, TelemetryEvent } from '../../src/events/types';
import { Random } from '../../src/simulate/random';
import { callEvent, HOUR, messageEvent, MINUTE } from '../helpers/events';
import type { CategoryScenario, Persona } from './types';

const P = 'automated-origination-';
const SECOND = 1000;

/** Ordinary numbers, far enough apart that no two share a block of 100 (no dialling walk). */
const contact = (k: number): string => `+1212555${String(1000 + ((k * 211) % 9000)).padStart(4, '0')}`;

/** A dialled call and its end; answered calls get their answer phase too. */
function call(account: string, at: number, to: string, connectedMs: number | undefined, overrides: Partial<CallEvent> = {}): CallEvent[] {
  const start = callEvent(account, at, { to, ...overrides });
  const base = { callId: start.callId, to, ...overrides };
  if (connectedMs === undefined) return [start, callEvent(account, at + 25 * SECOND, { ...base, phase: 'end', disposition: 'no_answer', durationMs: 0 })];
  return [
    start,
    callEvent(account, at + 6 * SECOND, { ...base, phase: 'answer' }),
    callEvent(account, at + 6 * SECOND + connectedMs, { ...base, phase: 'end', disposition: 'answered', durationMs: connectedMs }),
  ];
}

function message(account: string, at: number, to: string, i: number, overrides: Partial<MessageEvent> = {}): MessageEvent {
  return messageEvent(account, at, { to, contentHash: `${account}-${i}`, contentLength: 20 + (i % 120), ...overrides });
}

/** Times from `start` up to `end`, each gap drawn by `gap`. */
function times(start: number, end: number, gap: () => number): number[] {
  const out: number[] = [];
  for (let t = start; t < end; t += gap()) out.push(Math.round(t));
  return out;
}

/** A call every 12 s ± 0.2 s for two hours; those answered hang up within seconds. */
function robodialler(t0: number, rnd: Random): TelemetryEvent[] {
  const account = `${P}robodialler`;
  return Array.from({ length: 600 }, (_, i) => t0 + HOUR + i * 12 * SECOND + rnd.int(-200, 201)).flatMap((t, i) =>
    call(account, t, `+1212555${String(1000 + ((i * 37) % 9000)).padStart(4, '0')}`, rnd.next() < 0.35 ? rnd.int(1500, 5000) : undefined),
  );
}

/** An API bot sending around the clock, 5 to 15 s apart: no rest, and hundreds an hour. */
function apiBot(t0: number, rnd: Random): TelemetryEvent[] {
  const account = `${P}api-bot`;
  return times(t0, t0 + 24 * HOUR - 5 * MINUTE, () => rnd.int(5, 16) * SECOND).map((t, i) => message(account, t, contact(i % 40), i % 5, { originChannel: 'api' }));
}

/** A scripted chat bot answering through the app at 11 to 14 messages every minute for 45 minutes. */
function chatBot(t0: number, rnd: Random): TelemetryEvent[] {
  const account = `${P}chat-bot`;
  const start = t0 + 5 * HOUR;
  return Array.from({ length: 45 }, (_, m) => Array.from({ length: rnd.int(11, 15) }, () => start + m * MINUTE + rnd.int(0, MINUTE)))
    .flat()
    .map((t, i) => message(account, t, contact(i % 25), i));
}

/** Sales from a personal account: a hundred calls over a working day, irregular, with breaks and a few quick ones. */
function heavyCaller(t0: number, rnd: Random): TelemetryEvent[] {
  const account = `${P}heavy-caller`;
  const gap = (): number => rnd.int(40, 360) * SECOND + (rnd.next() < 0.1 ? rnd.int(10, 30) * MINUTE : 0);
  const day = [...times(t0, t0 + 3 * HOUR, gap), ...times(t0 + 4 * HOUR, t0 + 8 * HOUR, gap)];
  return day.flatMap((t, i) => {
    const r = rnd.next();
    return call(account, t, contact(i % 40), r < 0.15 ? undefined : r < 0.22 ? rnd.int(2000, 5000) : rnd.int(30, 480) * SECOND);
  });
}

/** A heavy texter: bursts of 5 to 15 messages to a few friends, quiet in between. */
function burstyTexter(t0: number, rnd: Random): TelemetryEvent[] {
  const account = `${P}bursty-texter`;
  const out: TelemetryEvent[] = [];
  for (let burst = t0 + HOUR; out.length < 140 && burst < t0 + 16 * HOUR; burst += rnd.int(20, 90) * MINUTE) {
    const friend = contact(rnd.int(0, 5));
    let t = burst;
    for (let n = rnd.int(5, 16); n > 0; n--) out.push(message(account, (t += rnd.int(5, 40) * SECOND), friend, out.length));
  }
  return out;
}

/** A night-shift worker: calls and texts for 12 hours, then sleeps. */
function nightShift(t0: number, rnd: Random): TelemetryEvent[] {
  const account = `${P}night-shift`;
  const start = t0 + 10 * HOUR;
  const texts = times(start, start + 12 * HOUR, () => rnd.int(3, 25) * MINUTE).map((t, i) => message(account, t, contact(rnd.int(0, 12)), i));
  const calls = times(start + 20 * MINUTE, start + 12 * HOUR, () => rnd.int(20, 70) * MINUTE).flatMap((t) => call(account, t, contact(rnd.int(0, 12)), rnd.int(40, 900) * SECOND));
  return [...texts, ...calls];
}

/** A clinic sending appointment confirmations through the API as patients book: irregular, over office hours. */
function apiBusiness(t0: number, rnd: Random): TelemetryEvent[] {
  const account = `${P}api-business`;
  return times(t0, t0 + 10 * HOUR, () => rnd.int(1, 10) * MINUTE).map((t, i) => message(account, t, contact(rnd.int(0, 100)), i, { originChannel: 'api' }));
}

export const scenario: CategoryScenario = {
  category: 'AUTOMATED_ORIGINATION',
  personas: (t0) => {
    const rnd = new Random(0x0a0a);
    const personas: Persona[] = [
      { accountId: `${P}robodialler`, kind: 'abusive', label: 'robodialler placing a call every 12 s ± 0.2 s for 2 hours, hanging up on answer', events: robodialler(t0, rnd) },
      { accountId: `${P}api-bot`, kind: 'abusive', label: 'API bot messaging around the clock, hundreds an hour', events: apiBot(t0, rnd) },
      { accountId: `${P}chat-bot`, kind: 'abusive', label: 'scripted chat bot holding 11 to 14 messages a minute for 45 minutes', events: chatBot(t0, rnd) },
      { accountId: `${P}heavy-caller`, kind: 'legitimate', label: 'heavy human caller: a hundred calls a working day, irregular, with breaks', events: heavyCaller(t0, rnd) },
      { accountId: `${P}bursty-texter`, kind: 'legitimate', label: 'heavy texter chatting in bursts', events: burstyTexter(t0, rnd) },
      { accountId: `${P}night-shift`, kind: 'legitimate', label: 'night-shift worker active for 12 hours', events: nightShift(t0, rnd) },
      { accountId: `${P}api-business`, kind: 'legitimate', label: 'clinic sending booking confirmations through the API', events: apiBusiness(t0, rnd) },
    ];
    return personas;
  },
};
