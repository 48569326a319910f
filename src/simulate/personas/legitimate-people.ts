import type { Activity, GroupContext, PersonaDef } from '../persona';
import { addressBook, homeAreaOf } from '../numbers';
import { activeTimes, NIGHT_SHIFT, placeSpan } from '../rhythm';
import { endOf, inOrder, interleave, type Planned } from '../schedule';
import { everyday, hashOf, personCall } from './everyday';
import { together, type TrafficBuilder } from '../traffic-builder';

/**
 * Legitimate people: the ordinary majority, and the heavy or unusual users
 * that docs/rules.md's "tuned against" column names (heavy texters, long
 * talkers, night-shift workers, families on one tablet, expatriates,
 * travellers, the occasional premium-line caller).
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const single = (): number => 1;

/** Carrier-grade NAT addresses that new customers register from: shared by many honest people. */
const CARRIER_NAT = ['100.64.12.7', '100.64.99.23', '100.72.4.150', '100.81.200.9', '2001:db8:cafe::1', '2001:db8:cafe::2'];

function book(ctx: GroupContext, min: number, max: number): string[] {
  return addressBook(ctx.draw, ctx.draw.rnd.int(min, max + 1), homeAreaOf(ctx.draw));
}

/** A new customer signing up at the start of their first active hour: one try in ten mistypes the code first. */
function signUp(ctx: GroupContext, b: TrafficBuilder): Planned[] {
  const [at] = activeTimes(ctx.draw, 1, ctx.start, ctx.end, b.account.utcOffsetHours);
  if (at === undefined) return [];
  const ipAddress = ctx.draw.rnd.pick(CARRIER_NAT);
  const typo = ctx.draw.chance(0.1);
  const plans: Planned[] = [{ at, make: () => b.register(at, { ipAddress, verification: typo ? 'failed' : 'verified' }) }];
  if (typo) plans.push({ at: at + 40_000, make: () => b.register(at + 40_000, { ipAddress, verification: 'verified' }) });
  return plans;
}

export const ordinary: PersonaDef = {
  name: 'ordinary',
  kind: 'legitimate',
  description: 'an ordinary person: a few calls and a few dozen messages a day, asleep at night; a few sign up during the day',
  categories: [],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const { draw } = ctx;
    const plans = everyday(ctx, b, { callsPerDay: draw.lognormal(2.5, 0.7), conversationsPerDay: draw.lognormal(4, 0.7), messagesPerConversation: draw.uniform(2, 7), contacts: book(ctx, 8, 60) });
    if (draw.chance(0.03)) plans.push(...signUp(ctx, b));
    return inOrder(plans);
  },
};

export const heavyTexter: PersonaDef = {
  name: 'heavy_texter',
  kind: 'legitimate',
  lookAlike: true,
  description: 'heavy texter: 250 to 450 messages a day to about 30 contacts in bursts, stock replies, small group messages',
  categories: [],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const { draw } = ctx;
    return inOrder(everyday(ctx, b, { callsPerDay: 3, conversationsPerDay: draw.uniform(30, 50), messagesPerConversation: 9, contacts: book(ctx, 20, 40), groupShare: 0.1 }));
  },
};

export const chattyCouple: PersonaDef = {
  name: 'chatty_couple',
  kind: 'legitimate',
  lookAlike: true,
  description: 'an evening texting one partner: two to three hours at 60 to 80 messages an hour, in bursts, then a long call',
  categories: [],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const { draw } = ctx;
    const contacts = book(ctx, 10, 30);
    const partner = contacts[0] as string;
    const plans = everyday(ctx, b, { callsPerDay: 2, conversationsPerDay: 4, messagesPerConversation: 4, contacts });
    let at = placeSpan(draw, ctx.start, ctx.end, 3.5 * HOUR);
    const stop = at + draw.uniform(2, 3) * HOUR;
    while (at < stop) {
      const burstAt = at;
      const size = draw.rnd.int(4, 13);
      plans.push({ at: burstAt, make: () => chatBurst(ctx, b, burstAt, partner, size) });
      at += size * 17_000 + draw.uniform(1.5, 6) * MINUTE;
    }
    plans.push({ at: stop + 5 * MINUTE, make: () => personCall(draw, b, stop + 5 * MINUTE, partner, 1, 25 * MINUTE) });
    yield* inOrder(plans);
  },
};

function chatBurst(ctx: GroupContext, b: TrafficBuilder, at: number, to: string, size: number): Activity {
  const parts: Activity[] = [];
  let t = at;
  for (let i = 0; i < size; i++) {
    parts.push(b.text(t, to, { contentHash: b.freshContent(), contentLength: ctx.draw.rnd.int(3, 90) }));
    t += ctx.draw.uniform(5_000, 30_000);
  }
  return together(parts);
}

export const longTalker: PersonaDef = {
  name: 'long_talker',
  kind: 'legitimate',
  lookAlike: true,
  description: 'long calls: a family call of two to three hours and a few of up to an hour, one after another, about five hours on the phone',
  categories: [],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const { draw } = ctx;
    const contacts = book(ctx, 8, 25);
    // Texts only besides the long calls: nobody dials out while on a three-hour call.
    const texts = everyday(ctx, b, { callsPerDay: 0, conversationsPerDay: 3, messagesPerConversation: 4, contacts });
    const minutes = [draw.uniform(120, 180), ...Array.from({ length: draw.rnd.int(2, 5) }, () => draw.uniform(20, 60))];
    let at = ctx.start + draw.uniform(1, 4) * HOUR;
    const calls: Activity[] = [];
    for (const [i, m] of minutes.entries()) {
      if (at >= ctx.end) break;
      const call = b.call(at, { to: contacts[i % 3] as string, disposition: 'answered', ringMs: 8_000, talkMs: m * MINUTE, attestation: 'A' });
      calls.push(call);
      at = endOf(call) + draw.uniform(0.5, 4) * HOUR;
    }
    yield* interleave(inOrder(texts), calls);
  },
};

export const nightShift: PersonaDef = {
  name: 'night_shift',
  kind: 'legitimate',
  lookAlike: true,
  description: 'night-shift worker: busy from eight at night to eight in the morning, asleep by day',
  categories: [],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    return inOrder(everyday(ctx, b, { callsPerDay: 8, conversationsPerDay: 14, messagesPerConversation: 6, contacts: book(ctx, 10, 30), profile: NIGHT_SHIFT }));
  },
};

export const familyPlan: PersonaDef = {
  name: 'family_plan',
  kind: 'legitimate',
  lookAlike: true,
  description: 'a family plan: three or four accounts sharing a tablet at home besides their own phones',
  categories: [],
  groupSize: (draw) => draw.rnd.int(3, 5),
  run(ctx) {
    const tablet = `${ctx.accounts[0]?.accountId ?? 'family'}-tablet`;
    const plans = ctx.builders.flatMap((b) =>
      everyday(ctx, b, { callsPerDay: 4, conversationsPerDay: 8, messagesPerConversation: 5, contacts: book(ctx, 8, 30), sharedDevice: { deviceId: tablet, share: 0.35 } }),
    );
    return inOrder(plans);
  },
};

export const premiumOccasional: PersonaDef = {
  name: 'premium_occasional',
  kind: 'legitimate',
  lookAlike: true,
  description: 'calls a premium horoscope or support line once for a few minutes, and texts a TV vote line once or twice',
  categories: [],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const { draw } = ctx;
    const plans = everyday(ctx, b, { callsPerDay: 3, conversationsPerDay: 4, messagesPerConversation: 5, contacts: book(ctx, 8, 40) });
    const [callAt, ...votes] = activeTimes(draw, 1 + draw.rnd.int(1, 3), ctx.start, ctx.end, b.account.utcOffsetHours);
    if (callAt !== undefined) plans.push({ at: callAt, make: () => b.call(callAt, { to: `+1900555${draw.rnd.int(1000, 10_000)}`, disposition: 'answered', ringMs: 6_000, talkMs: draw.uniform(2, 10) * MINUTE, attestation: 'A' }) });
    const voteLine = `+44906555${draw.rnd.int(1000, 10_000)}`;
    for (const at of votes) plans.push({ at, make: () => b.text(at, voteLine, { contentHash: hashOf('VOTE 3'), contentLength: 6, text: 'VOTE 3' }) });
    return inOrder(plans);
  },
};

export const expat: PersonaDef = {
  name: 'expat',
  kind: 'legitimate',
  lookAlike: true,
  description: 'an expatriate calling family abroad (Philippines, India, Mexico) for an hour or more every day',
  categories: [],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const { draw } = ctx;
    const plans = everyday(ctx, b, { callsPerDay: 3, conversationsPerDay: 5, messagesPerConversation: 5, contacts: book(ctx, 8, 30) });
    const country = draw.rnd.pick(['+63917', '+91981', '+52155']);
    const family = [`${country}${draw.rnd.int(1_000_000, 10_000_000)}`, `${country}${draw.rnd.int(1_000_000, 10_000_000)}`];
    const days = Math.max(1, Math.round((ctx.end - ctx.start) / (24 * HOUR)));
    for (const [i, at] of activeTimes(draw, days * draw.rnd.int(1, 3), ctx.start, ctx.end, b.account.utcOffsetHours).entries()) {
      plans.push({ at, make: () => b.call(at, { to: family[i % 2] as string, disposition: 'answered', ringMs: 12_000, talkMs: draw.uniform(40, 90) * MINUTE, attestation: 'A' }) });
    }
    return inOrder(plans);
  },
};

export const traveller: PersonaDef = {
  name: 'traveller',
  kind: 'legitimate',
  lookAlike: true,
  description: 'a traveller: a day at home, then a handful of calls in a new country on arrival, some unattested',
  categories: [],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const { draw } = ctx;
    const plans = everyday(ctx, b, { callsPerDay: 5, conversationsPerDay: 5, messagesPerConversation: 5, contacts: book(ctx, 8, 30) });
    const arrival = placeSpan(draw, ctx.start, ctx.end, 3 * HOUR);
    const country = draw.rnd.pick(['+33142', '+44207', '+49301', '+81312']);
    for (let i = 0, at = arrival; i < draw.rnd.int(4, 9); i++, at += draw.uniform(8, 35) * MINUTE) {
      const t = at;
      plans.push({ at: t, make: () => b.call(t, { to: `${country}${draw.rnd.int(100_000, 1_000_000)}`, disposition: 'answered', ringMs: 9_000, talkMs: draw.uniform(1, 5) * MINUTE, attestation: draw.chance(0.5) ? 'C' : 'B' }) });
    }
    return inOrder(plans);
  },
};

export const LEGITIMATE_PEOPLE: readonly PersonaDef[] = [ordinary, heavyTexter, chattyCouple, longTalker, nightShift, familyPlan, premiumOccasional, expat, traveller];
