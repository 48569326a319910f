import type { Activity, GroupContext, PersonaDef } from '../persona';
import { addressBook, homeAreaOf, ordinaryNumber } from '../numbers';
import { activeTimes, nextLocalHour, OFFICE } from '../rhythm';
import { endOf, inOrder, interleave, type Planned } from '../schedule';
import type { TrafficBuilder } from '../traffic-builder';
import { everyday, humanOutcome } from './everyday';

/**
 * Legitimate heavy users at work: a salesperson, a call-centre agent, a
 * support line calling customers back, a group-chat admin, a teacher's class
 * notices and a small business's reminders. Each is sized to what the
 * defaults were tuned to spare (docs/rules.md), not to the limits themselves.
 */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const single = (): number => 1;

interface Shift {
  answerRate: number;
  talkMedianMs: number;
  talkSigma: number;
  /** Pause after a call before the next one. */
  pause: () => number;
  callee: () => string;
  presentedCallerId?: string;
  /** Chance of redialling a busy number a few minutes later. */
  redialBusy?: number;
}

/** Working days from nine to half past five local time, with lunch: calls one after another. */
function* shifts(ctx: GroupContext, b: TrafficBuilder, shift: Shift): Generator<Activity> {
  const { draw } = ctx;
  const offset = b.account.utcOffsetHours;
  for (let day = nextLocalHour(ctx.start, offset, 9); day < ctx.end; day = nextLocalHour(day + HOUR, offset, 9)) {
    const lunch = day + 3.5 * HOUR + draw.uniform(0, HOUR);
    const close = day + 8.5 * HOUR;
    let at = day + draw.uniform(0, 20) * MINUTE;
    let redial: { to: string; left: number } | undefined;
    while (at < Math.min(close, ctx.end)) {
      if (at >= lunch && at < lunch + 45 * MINUTE) at = lunch + 45 * MINUTE;
      const to = redial && redial.left > 0 ? redial.to : shift.callee();
      const disposition = humanOutcome(draw, shift.answerRate);
      const ringMs = disposition === 'answered' ? draw.uniform(5, 20) * SECOND : draw.uniform(8, 30) * SECOND;
      const call = b.call(at, { to, disposition, ringMs, talkMs: draw.lognormal(shift.talkMedianMs, shift.talkSigma), presentedCallerId: shift.presentedCallerId, attestation: 'A' });
      yield call;
      redial = disposition === 'busy' && draw.chance(shift.redialBusy ?? 0) ? { to, left: draw.rnd.int(2, 8) } : redial && redial.left > 0 && disposition !== 'answered' ? { to: redial.to, left: redial.left - 1 } : undefined;
      at = endOf(call) + (redial ? draw.uniform(4, 8) * MINUTE : shift.pause());
    }
  }
}

export const heavyCaller: PersonaDef = {
  name: 'heavy_caller',
  kind: 'legitimate',
  lookAlike: true,
  description: 'salesperson on a personal account: about a hundred calls a working day to customers and new leads, redialling busy lines',
  categories: [],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const { draw } = ctx;
    const customers = addressBook(draw, 70);
    const shift: Shift = {
      answerRate: 0.72,
      talkMedianMs: 2.5 * MINUTE,
      talkSigma: 0.8,
      pause: () => draw.uniform(40 * SECOND, 5 * MINUTE) + (draw.chance(0.08) ? draw.uniform(10, 30) * MINUTE : 0),
      callee: () => (draw.chance(0.6) ? draw.rnd.pick(customers) : ordinaryNumber(draw)),
      redialBusy: 0.5,
    };
    return interleave(shifts(ctx, b, shift), inOrder(everyday(ctx, b, { callsPerDay: 1, conversationsPerDay: 4, messagesPerConversation: 4, contacts: customers.slice(0, 20) })));
  },
};

export const callCentreAgent: PersonaDef = {
  name: 'call_centre_agent',
  kind: 'legitimate',
  lookAlike: true,
  description: "call-centre agent working a list of leads: about 30 calls an hour for a shift, half answered, the company's number presented",
  categories: [],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const { draw } = ctx;
    // After-call work (notes in the CRM, the next lead's record) follows every call, answered or not.
    return shifts(ctx, b, { answerRate: 0.55, talkMedianMs: 2.5 * MINUTE, talkSigma: 0.6, pause: () => draw.uniform(10, 40) * SECOND, callee: () => ordinaryNumber(draw), presentedCallerId: '+18005550142' });
  },
};

export const supportLine: PersonaDef = {
  name: 'support_line',
  kind: 'legitimate',
  lookAlike: true,
  description: 'customer-support line calling customers back: long calls back to back through a shift, the support number presented',
  categories: [],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const { draw } = ctx;
    return shifts(ctx, b, { answerRate: 0.85, talkMedianMs: 4 * MINUTE, talkSigma: 0.7, pause: () => draw.uniform(1, 4) * MINUTE, callee: () => ordinaryNumber(draw), presentedCallerId: '+18885550199' });
  },
};

/** Posts to whole groups (one message, a delivery per member) at the hours given. */
function posts(ctx: GroupContext, b: TrafficBuilder, groups: readonly string[][], perGroupPerDay: () => number, channel: 'app' | 'api'): Planned[] {
  const days = Math.max(1, (ctx.end - ctx.start) / (24 * HOUR));
  return groups.flatMap((members) =>
    activeTimes(ctx.draw, Math.round(perGroupPerDay() * days), ctx.start, ctx.end, b.account.utcOffsetHours, channel === 'api' ? OFFICE : undefined).map((at) => ({
      at,
      make: () => b.text(at, members, { contentHash: b.freshContent(), contentLength: ctx.draw.rnd.int(40, 400), channel }),
    })),
  );
}

export const groupChatAdmin: PersonaDef = {
  name: 'group_chat_admin',
  kind: 'legitimate',
  lookAlike: true,
  description: "runs two group chats (a club, the building's residents) of 12 to 40 members each, posting several times a day",
  categories: [],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const { draw } = ctx;
    const contacts = addressBook(draw, 30, homeAreaOf(draw));
    const groups = Array.from({ length: 2 }, () => addressBook(draw, draw.rnd.int(12, 41)));
    return inOrder([...posts(ctx, b, groups, () => draw.uniform(2, 6), 'app'), ...everyday(ctx, b, { callsPerDay: 3, conversationsPerDay: 8, messagesPerConversation: 6, contacts })]);
  },
};

export const schoolNotices: PersonaDef = {
  name: 'school_notices',
  kind: 'legitimate',
  lookAlike: true,
  description: "a teacher's notices to the parents of one or two classes (22 to 32 each) through the school's messaging app, a few a day",
  categories: [],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const { draw } = ctx;
    const area = homeAreaOf(draw);
    const classes = Array.from({ length: draw.rnd.int(1, 3) }, () => addressBook(draw, draw.rnd.int(22, 33), area));
    const parents = classes.flat();
    const replies: Planned[] = activeTimes(draw, draw.rnd.int(3, 12), ctx.start, ctx.end, b.account.utcOffsetHours, OFFICE).map((at) => ({
      at,
      make: () => b.text(at, draw.rnd.pick(parents), { contentHash: b.freshContent(), contentLength: draw.rnd.int(20, 200), channel: 'api' }),
    }));
    return inOrder([...posts(ctx, b, classes, () => draw.uniform(1, 3), 'api'), ...replies]);
  },
};

export const smallBusiness: PersonaDef = {
  name: 'small_business',
  kind: 'legitimate',
  lookAlike: true,
  description: 'a clinic: individual appointment reminders through the API as the day goes, calls to patients from its main number, a couple of blocks',
  categories: [],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const { draw } = ctx;
    const area = homeAreaOf(draw);
    const patients = addressBook(draw, draw.rnd.int(120, 281), area);
    const offset = b.account.utcOffsetHours;
    const reminders: Planned[] = activeTimes(draw, patients.length, ctx.start, ctx.end, offset, OFFICE).map((at, i) => ({
      at,
      make: () => b.text(at, patients[i] as string, { contentHash: b.freshContent(), contentLength: draw.rnd.int(110, 140), channel: 'api' }),
    }));
    const calls: Planned[] = activeTimes(draw, draw.rnd.int(8, 25), ctx.start, ctx.end, offset, OFFICE).map((at) => ({
      at,
      make: () => b.call(at, { to: draw.rnd.pick(patients), disposition: humanOutcome(draw, 0.7), ringMs: 12 * SECOND, talkMs: draw.lognormal(2 * MINUTE, 0.6), presentedCallerId: '+18775550123', attestation: 'A' }),
    }));
    const blocks: Planned[] = activeTimes(draw, draw.rnd.int(0, 3), ctx.start, ctx.end, offset).map((at) => ({ at, make: () => b.report(at, draw.rnd.pick(patients), 'unwanted') }));
    return inOrder([...reminders, ...calls, ...blocks]);
  },
};

export const LEGITIMATE_WORK: readonly PersonaDef[] = [heavyCaller, callCentreAgent, supportLine, groupChatAdmin, schoolNotices, smallBusiness];
