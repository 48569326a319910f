import type { CallEvent, MessageEvent } from '../../src/events/types';
import { callEvent, HOUR, messageEvent, MINUTE } from '../helpers/events';
import type { CategoryScenario } from './types';

const P = 'income-generation-';

/** A deterministic irregular offset (0 to ~4 min), so no persona has machine-regular spacing unless it should. */
const jitter = (i: number): number => ((i * 7919) % 13) * 17_000;

/** One call's phases: dialled, connected 12 s later, ended after `durationMs` of talk. */
function call(accountId: string, from: string, at: number, to: string, durationMs: number): CallEvent[] {
  const start = callEvent(accountId, at, { from, to, phase: 'start' });
  const base = { from, to, callId: start.callId };
  return [
    start,
    callEvent(accountId, at + 12_000, { ...base, phase: 'answer' }),
    callEvent(accountId, at + 12_000 + durationMs, { ...base, phase: 'end', disposition: 'answered', durationMs }),
  ];
}

function text(accountId: string, from: string, at: number, to: string, i: number): MessageEvent {
  return messageEvent(accountId, at, { from, to, contentHash: `${accountId}-${i}`, contentLength: 20 + ((i * 37) % 90) });
}

/** Everyday calls to a few friends, family and shops at home, spread over the day. */
function everydayCalls(accountId: string, from: string, t0: number, count: number, areaCode: string): CallEvent[] {
  return Array.from({ length: count }, (_, i) =>
    call(accountId, from, t0 + i * 37 * MINUTE + jitter(i), `+1${areaCode}555${String(3100 + (i % 5))}`, (2 + ((i * 5) % 9)) * MINUTE),
  ).flat();
}

export const scenario: CategoryScenario = {
  category: 'INCOME_GENERATION',
  personas: (t0) => [
    {
      accountId: `${P}pumper`,
      kind: 'abusive',
      label: 'traffic pumper holding long calls to two international-network (+882) numbers all day',
      events: Array.from({ length: 10 }, (_, i) =>
        call(`${P}pumper`, '+14155550201', t0 + i * 75 * MINUTE, i % 2 === 0 ? '+882130000101' : '+882130000102', (50 + (i % 3) * 7) * MINUTE),
      ).flat(),
    },
    {
      accountId: `${P}simbox`,
      kind: 'abusive',
      label: 'sim-box-like surge: a morning of ordinary calls, then 60 calls in half an hour into a range never called (+234)',
      events: [
        ...everydayCalls(`${P}simbox`, '+14155550202', t0, 12, '415'),
        ...Array.from({ length: 60 }, (_, i) => call(`${P}simbox`, '+14155550202', t0 + 9 * HOUR + i * 30_000, `+23480312${String(20000 + i)}`, (60 + (i % 4) * 20) * 1000)).flat(),
      ],
    },
    {
      accountId: `${P}sms-pumper`,
      kind: 'abusive',
      label: 'premium SMS pumping: 40 messages to UK premium-rate numbers in two hours',
      events: Array.from({ length: 40 }, (_, i) => text(`${P}sms-pumper`, '+14155550203', t0 + 2 * HOUR + i * 3 * MINUTE, `+44906555${String(1000 + (i % 8))}`, i)),
    },
    {
      accountId: `${P}premium-once`,
      kind: 'legitimate',
      label: 'one short call to a premium horoscope line among a day of ordinary calls',
      events: [...everydayCalls(`${P}premium-once`, '+14155550204', t0, 8, '415'), ...call(`${P}premium-once`, '+14155550204', t0 + 5 * HOUR + 7 * MINUTE, '+19005550123', 6 * MINUTE)],
    },
    {
      accountId: `${P}expat`,
      kind: 'legitimate',
      label: 'expatriate calling family in the Philippines for long, as every day, plus local calls',
      events: [
        ...everydayCalls(`${P}expat`, '+14155550205', t0, 6, '650'),
        ...call(`${P}expat`, '+14155550205', t0 + 11 * HOUR + 4 * MINUTE, '+639171234567', 70 * MINUTE),
        ...call(`${P}expat`, '+14155550205', t0 + 13 * HOUR + 41 * MINUTE, '+639189876543', 55 * MINUTE),
      ],
    },
    {
      accountId: `${P}traveller`,
      kind: 'legitimate',
      label: 'traveller: a day of calls at home, then a few calls to a new country (France) on arrival',
      events: [
        ...everydayCalls(`${P}traveller`, '+14155550206', t0, 14, '212'),
        ...Array.from({ length: 7 }, (_, i) => call(`${P}traveller`, '+14155550206', t0 + 10 * HOUR + i * 23 * MINUTE + jitter(i), `+3314268${String(5300 + i)}`, (1 + (i % 4)) * MINUTE)).flat(),
      ],
    },
    {
      accountId: `${P}voter`,
      kind: 'legitimate',
      label: 'texting a premium TV vote line twice during a show, among everyday texts',
      events: [
        ...Array.from({ length: 18 }, (_, i) => text(`${P}voter`, '+14155550207', t0 + i * 41 * MINUTE + jitter(i), `+1415555${String(4100 + (i % 4))}`, i)),
        text(`${P}voter`, '+14155550207', t0 + 11 * HOUR + 3 * MINUTE, '+449065550100', 100),
        text(`${P}voter`, '+14155550207', t0 + 11 * HOUR + 26 * MINUTE, '+449065550100', 101),
      ],
    },
  ],
};
