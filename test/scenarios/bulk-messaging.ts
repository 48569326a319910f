import type { MessageEvent, ReportEvent } from '../../src/events/types';
import { HOUR, messageEvent, MINUTE, reportEvent } from '../helpers/events';
import type { CategoryScenario, Persona } from './types';

/**
 * BULK_MESSAGING personas. Abusive: a promo to hundreds of strangers, a
 * campaign rotating four templates to stay under the same-content limit, and
 * a sender of personalised messages that recipients report as spam.
 * Legitimate look-alikes: a group invitation, a business's individual
 * reminders, a heavy texter, a holiday greeting. Every persona stays far below
 * the volume limits (at most a few messages a minute, under 100 an hour), so
 * only BULK_MESSAGING's rules can catch the abusive ones.
 */
const P = 'bulk-messaging-';
const DAY = 24 * HOUR;

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), one stream per persona. */
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

/**
 * Where a persona's activity of `spanMs` (at most 12 hours) starts: at t0,
 * unless that would cross a UTC midnight (the rules' daily windows), then at
 * that midnight; either way within one day after t0.
 */
function spanStart(t0: number, spanMs: number): number {
  const midnight = t0 - (((t0 % DAY) + DAY) % DAY) + DAY;
  return midnight - t0 >= spanMs ? t0 : midnight;
}

/** `count` distinct US mobile-looking numbers, scattered (people's contacts are not sequential). */
function contacts(next: () => number, count: number): string[] {
  const out = new Set<string>();
  while (out.size < count) out.add(`+1${String(2010000000 + Math.floor(next() * 7_000_000_000))}`);
  return [...out];
}

/** Human-looking gaps: around `meanMs`, never regular. */
function gaps(next: () => number, count: number, meanMs: number): number[] {
  let at = 0;
  return Array.from({ length: count }, () => (at += Math.round(meanMs * (0.3 + 1.4 * next()))));
}

function promoSpammer(t0: number): Persona {
  const id = `${P}promo-spammer`;
  const next = random(101);
  const start = spanStart(t0, 6 * HOUR);
  // 450 numbers in one block, none ever messaged before, one promo each, about 90 an hour.
  const targets = Array.from({ length: 450 }, (_, i) => `+1312555${String(1000 + i).padStart(4, '0')}`);
  const at = gaps(next, targets.length, 40_000);
  return {
    accountId: id,
    kind: 'abusive',
    label: 'one promotion sent to 450 numbers it never messaged, about 90 an hour for five hours',
    events: targets.map((to, i) => messageEvent(id, start + (at[i] ?? 0), { to, contentHash: 'promo-flash-sale', contentLength: 148, originChannel: 'api' })),
  };
}

function templateRotator(t0: number): Persona {
  const id = `${P}template-rotator`;
  const next = random(202);
  const start = spanStart(t0, 5 * HOUR);
  // Four wordings of the same pitch, each to 45 recipients: never more than 50 for one content.
  const templates = ['loan-offer-v1', 'loan-offer-v2', 'loan-offer-v3', 'loan-offer-v4'];
  const targets = contacts(next, 180);
  const at = gaps(next, targets.length, 80_000);
  return {
    accountId: id,
    kind: 'abusive',
    label: 'a loan pitch rotating four templates, 45 recipients each, so no single content passes 50',
    events: targets.map((to, i) => messageEvent(id, start + (at[i] ?? 0), { to, contentHash: templates[i % templates.length] ?? '', contentLength: 160 })),
  };
}

function reportedSender(t0: number): Persona {
  const id = `${P}reported-sender`;
  const next = random(303);
  const start = spanStart(t0, 8 * HOUR);
  // Personalised ("Hi Sam, …") so every content differs; strangers report it.
  const targets = contacts(next, 160);
  const at = gaps(next, targets.length, 75_000);
  const messages: MessageEvent[] = targets.map((to, i) => messageEvent(id, start + (at[i] ?? 0), { to, contentHash: `${id}-pitch-${i}`, contentLength: 120 + (i % 40) }));
  const reports: ReportEvent[] = targets
    .filter((_, i) => i % 17 === 3)
    .map((reporterNumber, i) => reportEvent(id, start + 4 * HOUR + i * 20 * MINUTE, { reporterNumber, reason: i % 3 === 0 ? 'unwanted' : 'spam' }));
  return { accountId: id, kind: 'abusive', label: `personalised pitches to 160 strangers, ${reports.length} of whom report it as spam or unwanted`, events: [...messages, ...reports] };
}

function groupInvite(t0: number): Persona {
  const id = `${P}group-invite`;
  const next = random(404);
  const start = spanStart(t0, 6 * HOUR);
  const friends = contacts(next, 30);
  const invite = friends.map((to, i) => messageEvent(id, start + i * 150, { to, contentHash: 'bbq-invite', messageId: `${id}-invite`, contentLength: 96 }));
  // Then the usual back-and-forth with a few who answered.
  const at = gaps(next, 25, 10 * MINUTE);
  const chat = at.map((t, i) => messageEvent(id, start + 5 * MINUTE + t, { to: friends[i % 6] ?? '', contentHash: `${id}-chat-${i}`, contentLength: 20 + (i % 30) }));
  return { accountId: id, kind: 'legitimate', label: 'a barbecue invitation to thirty contacts, then chat with a few who answered', events: [...invite, ...chat] };
}

function businessReminders(t0: number): Persona {
  const id = `${P}business-reminders`;
  const next = random(505);
  const start = spanStart(t0, 11 * HOUR);
  const customers = contacts(next, 280);
  const at = gaps(next, customers.length, 2 * MINUTE);
  const reminders = customers.map((to, i) => messageEvent(id, start + (at[i] ?? 0), { to, contentHash: `${id}-reminder-${i}`, contentLength: 110 + (i % 25) }));
  // A couple of customers block it anyway: below the report limits.
  const blocks = [customers[17], customers[203]].map((reporterNumber, i) => reportEvent(id, start + 7 * HOUR + i * HOUR, { reporterNumber: reporterNumber ?? '', reason: 'unwanted' }));
  return { accountId: id, kind: 'legitimate', label: 'a clinic sending 280 individual appointment reminders (each names the patient and time), 2 blocks', events: [...reminders, ...blocks] };
}

function heavyTexter(t0: number): Persona {
  const id = `${P}heavy-texter`;
  const next = random(606);
  const start = spanStart(t0, 12 * HOUR);
  const friends = contacts(next, 3);
  const stock = ['ok', 'lol', 'haha', 'omw', 'love you', 'night'];
  const at = gaps(next, 290, 2.2 * MINUTE);
  return {
    accountId: id,
    kind: 'legitimate',
    label: 'a heavy texter: 290 messages in long conversations with three friends, many stock replies',
    events: at.map((t, i) => {
      const reply = next() < 0.3 ? stock[Math.floor(next() * stock.length)] : undefined;
      return messageEvent(id, start + t, { to: friends[Math.floor(i / 12) % 3] ?? '', contentHash: reply !== undefined ? `stock-${reply}` : `${id}-chat-${i}`, contentLength: reply?.length ?? 15 + (i % 60) });
    }),
  };
}

function holidayGreeting(t0: number): Persona {
  const id = `${P}holiday-greeting`;
  const next = random(707);
  const start = spanStart(t0, 6 * HOUR);
  const people = contacts(next, 40);
  // Sent in a few batches from the address book, then thanks to those who replied.
  const greeting = people.map((to, i) => messageEvent(id, start + Math.floor(i / 10) * 20 * MINUTE + (i % 10) * 4000, { to, contentHash: 'happy-holidays', messageId: `${id}-batch-${Math.floor(i / 10)}`, contentLength: 64 }));
  const thanks = people.slice(0, 12).map((to, i) => messageEvent(id, start + 2 * HOUR + i * 7 * MINUTE, { to, contentHash: i % 2 === 0 ? 'thanks-you-too' : `${id}-reply-${i}`, contentLength: 18 }));
  return { accountId: id, kind: 'legitimate', label: 'a holiday greeting to forty contacts, then thanks to a dozen who replied', events: [...greeting, ...thanks] };
}

export const scenario: CategoryScenario = {
  category: 'BULK_MESSAGING',
  personas: (t0) => [promoSpammer(t0), templateRotator(t0), reportedSender(t0), groupInvite(t0), businessReminders(t0), heavyTexter(t0), holidayGreeting(t0)],
};
