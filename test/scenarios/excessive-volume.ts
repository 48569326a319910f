import type { CallEvent, Disposition, TelemetryEvent } from '../../src/events/types';
import { Random } from '../../src/simulate/random';
import { callEvent, HOUR, messageEvent, MINUTE } from '../helpers/events';
import type { CategoryScenario, Persona } from './types';

/**
 * EXCESSIVE_VOLUME: accounts over the per-account limits, floods aimed at one
 * person (one number, or the few lines of one person), and a device spread
 * over five accounts that each stay under their own limits; against them the
 * look-alikes the defaults were tuned on: a heavy caller, a heavy texter, a
 * long chatty conversation and a family sharing one tablet.
 *
 * Event ids come from a counter per persona, so the same t0 gives the same
 * events however often the scenario is built.
 */
const P = 'excessive-volume-';
const SECOND = 1000;

type Outcome = 'answered' | Extract<Disposition, 'no_answer' | 'busy' | 'rejected'>;

interface Caller {
  accountId: string;
  from: string;
  deviceId: string;
  originChannel?: CallEvent['originChannel'];
}

/** Builds one persona's events with ids of its own. */
class Builder {
  private n = 0;
  readonly events: TelemetryEvent[] = [];

  constructor(private readonly who: Caller) {}

  private id(kind: string): string {
    return `${this.who.accountId}-${kind}-${++this.n}`;
  }

  /** A dialled call with its answer (if any) and end; returns when it ended. */
  call(at: number, to: string, outcome: Outcome, talkMs: number): number {
    const { accountId, from, deviceId } = this.who;
    const base = { callId: this.id('call'), from, to, deviceId, originChannel: this.who.originChannel ?? 'app' };
    this.events.push(callEvent(accountId, at, { ...base, eventId: this.id('e'), phase: 'start' }));
    if (outcome !== 'answered') {
      const end = at + (outcome === 'no_answer' ? 30 : 6) * SECOND;
      this.events.push(callEvent(accountId, end, { ...base, eventId: this.id('e'), phase: 'end', disposition: outcome, durationMs: 0 }));
      return end;
    }
    const answered = at + 9 * SECOND;
    this.events.push(callEvent(accountId, answered, { ...base, eventId: this.id('e'), phase: 'answer' }));
    this.events.push(callEvent(accountId, answered + talkMs, { ...base, eventId: this.id('e'), phase: 'end', disposition: 'answered', durationMs: talkMs }));
    return answered + talkMs;
  }

  /** One message to each of `to` (a group message when several), with its own content. */
  text(at: number, to: readonly string[], contentHash: string, contentLength = 40): void {
    const { accountId, from, deviceId } = this.who;
    const messageId = this.id('msg');
    to.forEach((recipient, i) =>
      this.events.push(
        messageEvent(accountId, at + i, { eventId: this.id('e'), messageId, from, to: recipient, deviceId, contentHash, contentLength, originChannel: this.who.originChannel ?? 'app' }),
      ),
    );
  }
}

/** A New York number `+1212555xxxx`; distinct suffixes for distinct people. */
const nyc = (suffix: number): string => `+1212555${String(suffix).padStart(4, '0')}`;

/** `count` distinct, non-sequential New York numbers. */
function addressBook(rnd: Random, count: number): string[] {
  const book = new Set<string>();
  while (book.size < count) book.add(nyc(rnd.int(1000, 9999)));
  return [...book];
}

function persona(accountId: string, kind: Persona['kind'], label: string, events: TelemetryEvent[]): Persona {
  return { accountId, kind, label, events };
}

// ---- abusive ----

/** 1,200 messages in one hour to as many numbers: over the per-account messages_per_hour (1,000). */
function spammer(t0: number): Persona {
  const rnd = new Random(101);
  const b = new Builder({ accountId: `${P}spammer`, from: '+14155550301', deviceId: `${P}spammer-device`, originChannel: 'api' });
  for (let i = 0; i < 1200; i++) b.text(t0 + 2 * HOUR + i * 3 * SECOND + rnd.int(0, 2 * SECOND), [`+1${rnd.int(201, 989)}${rnd.int(2_000_000, 9_999_999)}`], `${P}promo-${i % 3}`, 140);
  return persona(`${P}spammer`, 'abusive', 'spammer: 1,200 promotional messages to strangers in one hour', b.events);
}

/** 40 calls to one person's number in an hour, almost all rejected or unanswered: over calls_to_one_number (20). */
function harasser(t0: number): Persona {
  const rnd = new Random(102);
  const b = new Builder({ accountId: `${P}harasser`, from: '+14155550302', deviceId: `${P}harasser-device` });
  const victim = nyc(4242);
  for (let i = 0; i < 40; i++) {
    const outcome: Outcome = i % 13 === 5 ? 'answered' : i % 2 === 0 ? 'rejected' : 'no_answer';
    b.call(t0 + 5 * HOUR + i * 85 * SECOND + rnd.int(0, 10 * SECOND), victim, outcome, 8 * SECOND);
  }
  return persona(`${P}harasser`, 'abusive', 'harasser calling one person 40 times in an hour', b.events);
}

/** 45 calls in an hour over one person's mobile, home and work lines, 15 each: under the one-number limit, over calls_to_few_numbers (40). */
function lineStalker(t0: number): Persona {
  const rnd = new Random(103);
  const b = new Builder({ accountId: `${P}line-stalker`, from: '+14155550303', deviceId: `${P}line-stalker-device` });
  const lines = ['+12125554343', '+16465554343', '+17185554343'];
  for (let i = 0; i < 45; i++) b.call(t0 + 11 * HOUR + i * 78 * SECOND + rnd.int(0, 8 * SECOND), lines[i % 3] ?? nyc(4343), i % 4 === 0 ? 'rejected' : 'no_answer', 0);
  return persona(`${P}line-stalker`, 'abusive', "stalker calling one person's three lines 45 times in an hour, 15 each", b.events);
}

/** 400 messages to one number in 40 minutes: over messages_to_one_number (150). */
function messageBomber(t0: number): Persona {
  const rnd = new Random(104);
  const b = new Builder({ accountId: `${P}message-bomber`, from: '+14155550304', deviceId: `${P}message-bomber-device` });
  for (let i = 0; i < 400; i++) b.text(t0 + 14 * HOUR + i * 6 * SECOND + rnd.int(0, 2 * SECOND), [nyc(4444)], `${P}bomb-${i}`, 5 + (i % 20));
  return persona(`${P}message-bomber`, 'abusive', 'message bomber: 400 texts to one person in 40 minutes', b.events);
}

/**
 * One device, five accounts, 120 calls each in one hour (under the per-account
 * 200), 600 together (over the device's 250): every account is flagged.
 */
function deviceFarm(t0: number): Persona[] {
  const rnd = new Random(105);
  const accounts = Array.from({ length: 5 }, (_, i) => `${P}device-farm-${i + 1}`);
  const builders = accounts.map((accountId, i) => new Builder({ accountId, from: `+1415555031${i}`, deviceId: `${P}farm-device`, originChannel: 'app' }));
  // The accounts take turns on the device, so all five are active before the device passes its limit.
  for (let i = 0; i < 600; i++) {
    const b = builders[i % 5];
    b?.call(t0 + 8 * HOUR + i * 6 * SECOND + rnd.int(0, 3 * SECOND), `+1${rnd.int(201, 989)}${rnd.int(2_000_000, 9_999_999)}`, i % 7 === 0 ? 'answered' : 'no_answer', 20 * SECOND);
  }
  return builders.map((b, i) => persona(accounts[i] ?? '', 'abusive', `account ${i + 1} of 5 sharing one device, 120 calls in an hour each, 600 on the device`, b.events));
}

// ---- legitimate ----

/** About 130 calls over a working day to 70 customers, one of them a busy line redialled 8 times in an hour. */
function heavyCaller(t0: number): Persona {
  const rnd = new Random(201);
  const b = new Builder({ accountId: `${P}heavy-caller`, from: '+14155550401', deviceId: `${P}heavy-caller-phone` });
  const customers = addressBook(rnd, 70);
  let at = t0 + 12 * MINUTE;
  for (let i = 0; i < 122; i++) {
    if (i === 40) {
      // A customer's line is busy: seven redials over the next hour, then it connects.
      const busy = customers[3] ?? nyc(1234);
      for (let r = 0; r < 8; r++) at = b.call(at, busy, r < 7 ? 'busy' : 'answered', 4 * MINUTE) + rnd.int(4 * MINUTE, 8 * MINUTE);
    }
    const roll = rnd.next();
    const outcome: Outcome = roll < 0.75 ? 'answered' : roll < 0.95 ? 'no_answer' : 'busy';
    at = b.call(at, rnd.pick(customers), outcome, rnd.int(40 * SECOND, 7 * MINUTE)) + rnd.int(40 * SECOND, 5 * MINUTE);
  }
  return persona(`${P}heavy-caller`, 'legitimate', 'heavy caller: 130 calls over a working day to 70 customers, redialling a busy line 8 times', b.events);
}

/** About 360 messages over a day to 30 contacts in short exchanges, a few group messages among them. */
function heavyTexter(t0: number): Persona {
  const rnd = new Random(202);
  const b = new Builder({ accountId: `${P}heavy-texter`, from: '+14155550402', deviceId: `${P}heavy-texter-phone` });
  const contacts = addressBook(rnd, 30);
  let at = t0 + 3 * MINUTE;
  let sent = 0;
  for (let exchange = 0; sent < 360; exchange++) {
    if (exchange % 20 === 7) {
      // A group message to four friends.
      const group = [0, 1, 2, 3].map((k) => contacts[(exchange + k * 7) % contacts.length] ?? nyc(2000 + k));
      b.text(at, group, `${P}texter-group-${exchange}`);
      sent += group.length;
    }
    const to = rnd.pick(contacts);
    const burst = rnd.int(1, 6);
    for (let m = 0; m < burst; m++) {
      b.text(at, [to], `${P}texter-${sent}`, rnd.int(5, 160));
      sent += 1;
      at += rnd.int(8 * SECOND, 70 * SECOND);
    }
    at += rnd.int(30 * SECOND, 6 * MINUTE);
  }
  return persona(`${P}heavy-texter`, 'legitimate', 'heavy texter: about 360 messages a day to 30 contacts, group messages included', b.events);
}

/** Two people texting back and forth all evening: 70 to 80 messages an hour to one number, in bursts. */
function chattyConversation(t0: number): Persona {
  const rnd = new Random(203);
  const b = new Builder({ accountId: `${P}chatty`, from: '+14155550403', deviceId: `${P}chatty-phone` });
  const friend = nyc(5151);
  const others = addressBook(rnd, 6);
  for (let i = 0; i < 20; i++) b.text(t0 + i * 26 * MINUTE + rnd.int(0, 9 * MINUTE), [rnd.pick(others)], `${P}chatty-day-${i}`, rnd.int(10, 120));
  let at = t0 + 10 * HOUR + 13 * MINUTE;
  const end = at + 150 * MINUTE;
  let n = 0;
  while (at < end) {
    // A burst of quick messages, then a pause for the other side's replies.
    const burst = rnd.int(4, 13);
    for (let m = 0; m < burst; m++) {
      b.text(at, [friend], `${P}chatty-${n++}`, rnd.int(3, 90));
      at += rnd.int(5 * SECOND, 30 * SECOND);
    }
    at += rnd.int(90 * SECOND, 6 * MINUTE);
  }
  b.call(t0 + 12 * HOUR + 55 * MINUTE, friend, 'answered', 23 * MINUTE);
  return persona(`${P}chatty`, 'legitimate', 'chatty conversation: two and a half hours of texting one friend, 70 to 80 messages an hour in bursts', b.events);
}

/** A family tablet: three accounts on one device, a few calls and some dozens of messages each over the day. */
function familyTablet(t0: number): Persona[] {
  const rnd = new Random(204);
  const members = ['mum', 'dad', 'kid'];
  return members.map((member, k) => {
    const accountId = `${P}family-${member}`;
    const b = new Builder({ accountId, from: `+1415555041${k}`, deviceId: `${P}family-tablet` });
    const contacts = addressBook(rnd, 8);
    for (let i = 0; i < 7; i++) b.call(t0 + k * 23 * MINUTE + i * 97 * MINUTE + rnd.int(0, 30 * MINUTE), rnd.pick(contacts), rnd.next() < 0.8 ? 'answered' : 'no_answer', rnd.int(2 * MINUTE, 20 * MINUTE));
    for (let i = 0; i < 40; i++) b.text(t0 + k * 7 * MINUTE + i * 19 * MINUTE + rnd.int(0, 8 * MINUTE), [rnd.pick(contacts)], `${accountId}-${i}`, rnd.int(4, 140));
    return persona(accountId, 'legitimate', `family tablet shared by three accounts: ${member}, 7 calls and 40 messages in the day`, b.events);
  });
}

export const scenario: CategoryScenario = {
  category: 'EXCESSIVE_VOLUME',
  personas: (t0) => [
    spammer(t0),
    harasser(t0),
    lineStalker(t0),
    messageBomber(t0),
    ...deviceFarm(t0),
    heavyCaller(t0),
    heavyTexter(t0),
    chattyConversation(t0),
    ...familyTablet(t0),
  ],
};
