import type { CallEvent } from '../../src/events/types';
import { callEvent, HOUR, MINUTE } from '../helpers/events';
import type { CategoryScenario } from './types';

const P = 'connection-time-';

/** A small seeded generator (mulberry32), so the same t0 gives the same personas. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Dial {
  accountId: string;
  n: number;
  dialledAt: number;
  /** Connected time; undefined when nobody answered. */
  connectedMs: number | undefined;
  to: string;
  from: string;
}

/** The three phases of one call (two when unanswered), with ids derived from the call so replays agree. */
function phases({ accountId, n, dialledAt, connectedMs, to, from }: Dial): CallEvent[] {
  const callId = `${accountId}-call-${n}`;
  const base = { callId, to, from, deviceId: `${accountId}-phone` };
  const start = callEvent(accountId, dialledAt, { ...base, eventId: `${callId}-start` });
  if (connectedMs === undefined) {
    return [start, callEvent(accountId, dialledAt + 30_000, { ...base, eventId: `${callId}-end`, phase: 'end', disposition: 'no_answer', durationMs: 0 })];
  }
  const answeredAt = dialledAt + 8_000;
  return [
    start,
    callEvent(accountId, answeredAt, { ...base, eventId: `${callId}-answer`, phase: 'answer' }),
    callEvent(accountId, answeredAt + connectedMs, { ...base, eventId: `${callId}-end`, phase: 'end', disposition: 'answered', durationMs: connectedMs }),
  ];
}

const contact = (i: number): string => `+1212555${String(3100 + ((i * 37) % 600)).padStart(4, '0')}`;

export const scenario: CategoryScenario = {
  category: 'EXCESSIVE_CONNECTION_TIME',
  personas: (t0) => [
    {
      accountId: `${P}open-line`,
      kind: 'abusive',
      label: 'holds one line connected for 10 hours',
      events: [
        ...phases({ accountId: `${P}open-line`, n: 0, dialledAt: t0 + 2 * HOUR, connectedMs: 10 * HOUR, to: '+14155550142', from: '+16465550101' }),
        ...phases({ accountId: `${P}open-line`, n: 1, dialledAt: t0 + 13 * HOUR, connectedMs: 4 * MINUTE, to: '+14155550143', from: '+16465550101' }),
      ],
    },
    {
      accountId: `${P}call-bank`,
      kind: 'abusive',
      label: 'holds 6 calls connected at once for 3 hours',
      events: Array.from({ length: 6 }, (_, n) =>
        phases({ accountId: `${P}call-bank`, n, dialledAt: t0 + 4 * HOUR + n * 5_000, connectedMs: 3 * HOUR - n * 30_000, to: contact(n + 200), from: '+16465550102' }),
      ).flat(),
    },
    {
      accountId: `${P}relay`,
      kind: 'abusive',
      label: 'keeps two lines connected around the clock with calls just under 4 hours, redialled at once',
      events: Array.from({ length: 12 }, (_, n) => {
        const line = n % 2;
        const round = Math.floor(n / 2);
        const dialledAt = t0 + line * 20 * MINUTE + round * (230 * MINUTE + 20_000);
        return phases({ accountId: `${P}relay`, n, dialledAt, connectedMs: 230 * MINUTE, to: contact(300 + line), from: '+16465550103' });
      }).flat(),
    },
    {
      accountId: `${P}family`,
      kind: 'legitimate',
      label: 'a family call of 3 hours, and two short calls',
      events: [
        ...phases({ accountId: `${P}family`, n: 0, dialledAt: t0 + 3 * HOUR, connectedMs: 6 * MINUTE, to: '+14155550177', from: '+16465550104' }),
        ...phases({ accountId: `${P}family`, n: 1, dialledAt: t0 + 10 * HOUR, connectedMs: 3 * HOUR, to: '+14155550178', from: '+16465550104' }),
        ...phases({ accountId: `${P}family`, n: 2, dialledAt: t0 + 15 * HOUR, connectedMs: 11 * MINUTE, to: '+14155550177', from: '+16465550104' }),
      ],
    },
    {
      accountId: `${P}heavy-caller`,
      kind: 'legitimate',
      label: 'a salesperson making 70 short calls one after another through the working day',
      events: (() => {
        const rnd = random(7);
        let at = t0 + HOUR;
        return Array.from({ length: 70 }, (_, n) => {
          const answered = rnd() > 0.12;
          const connectedMs = answered ? Math.round((1 + rnd() * 5) * MINUTE) : undefined;
          const dial: Dial = { accountId: `${P}heavy-caller`, n, dialledAt: at, connectedMs, to: contact(Math.floor(rnd() * 40)), from: '+16465550105' };
          at += (connectedMs ?? 30_000) + Math.round((2 + rnd() * 6) * MINUTE);
          return phases(dial);
        }).flat();
      })(),
    },
    {
      accountId: `${P}call-waiting`,
      kind: 'legitimate',
      label: 'takes a second call on call waiting during a long one, twice a day',
      events: [0, 1].flatMap((i) => {
        const dialledAt = t0 + (5 + i * 7) * HOUR;
        return [
          ...phases({ accountId: `${P}call-waiting`, n: 2 * i, dialledAt, connectedMs: 50 * MINUTE, to: '+14155550188', from: '+16465550106' }),
          ...phases({ accountId: `${P}call-waiting`, n: 2 * i + 1, dialledAt: dialledAt + 20 * MINUTE, connectedMs: 3 * MINUTE, to: '+14155550189', from: '+16465550106' }),
        ];
      }),
    },
    {
      accountId: `${P}chatty`,
      kind: 'legitimate',
      label: 'about 5 hours on the phone across the day in calls of up to 75 minutes',
      events: [40, 75, 30, 60, 45, 55].flatMap((minutes, n) =>
        phases({ accountId: `${P}chatty`, n, dialledAt: t0 + (1 + n * 3.5) * HOUR, connectedMs: minutes * MINUTE, to: contact(500 + (n % 3)), from: '+16465550107' }),
      ),
    },
  ],
};
