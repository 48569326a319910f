import type { Verification } from '../../events/types';
import type { Activity, GroupContext, PersonaDef } from '../persona';
import { ordinaryNumber } from '../numbers';
import { placeSpan } from '../rhythm';
import { interleave } from '../schedule';
import type { TrafficBuilder } from '../traffic-builder';
import { hashOf } from './everyday';
import { cardNumber, cover, flagged, force, ssn } from './abuse-kit';

/** IMPERSONATION, FRAUDULENT_REGISTRATION and PERSONAL_DATA_SHARING. */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const single = (): number => 1;

export const spoofer: PersonaDef = {
  name: 'caller_id_spoofer',
  kind: 'abusive',
  description: "presents a different bank's number on each call",
  categories: ['IMPERSONATION'],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    let at = placeSpan(ctx.draw, ctx.start, ctx.end, 3 * HOUR);
    const count = Math.max(3, Math.round(12 * force(ctx.knobs)));
    for (let i = 0; i < count && at < ctx.end; i++, at += ctx.draw.uniform(5, 25) * MINUTE) {
      ctx.abuseStarts(b.account.accountId, at);
      yield b.call(at, { to: ordinaryNumber(ctx.draw), disposition: ctx.draw.chance(0.5) ? 'answered' : 'no_answer', ringMs: 10 * SECOND, talkMs: ctx.draw.uniform(1, 6) * MINUTE, presentedCallerId: `+1800555${ctx.draw.rnd.int(1000, 10_000)}`, attestation: 'B' });
    }
  },
};

export const unattestedCaller: PersonaDef = {
  name: 'unattested_caller',
  kind: 'abusive',
  description: 'places calls the carrier cannot vouch for (STIR/SHAKEN C) at about 45 an hour',
  categories: ['IMPERSONATION'],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, 1.5 * HOUR);
    const gap = HOUR / (45 * force(ctx.knobs));
    for (let at = from; at < from + 1.5 * HOUR && at < ctx.end; at += gap * ctx.draw.uniform(0.5, 1.5)) {
      ctx.abuseStarts(b.account.accountId, at);
      yield b.call(at, { to: ordinaryNumber(ctx.draw), disposition: ctx.draw.chance(0.3) ? 'answered' : 'no_answer', ringMs: 15 * SECOND, talkMs: ctx.draw.uniform(10, 90) * SECOND, attestation: 'C' });
    }
  },
};

export const impersonator: PersonaDef = {
  name: 'reported_impersonator',
  kind: 'abusive',
  description: "calls people pretending to be their bank; several of them report it for impersonation",
  categories: ['IMPERSONATION'],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, 5 * HOUR);
    const pending: Activity[] = [];
    const abuse: Activity[] = [];
    for (let i = 0, at = from; i < 20 && at < ctx.end; i++, at += ctx.draw.uniform(4, 15) * MINUTE) {
      const to = ordinaryNumber(ctx.draw);
      abuse.push(b.call(at, { to, disposition: 'answered', ringMs: 9 * SECOND, talkMs: ctx.draw.uniform(1, 8) * MINUTE, attestation: 'A' }));
      if (ctx.draw.chance(0.25)) pending.push(b.report(at + ctx.draw.uniform(15, 90) * MINUTE, to, 'impersonation'));
    }
    const all = [...abuse, ...pending].filter((a) => a.at < ctx.end).sort((x, y) => x.at - y.at);
    yield* interleave(cover(ctx, b), flagged(ctx, b.account.accountId, all));
  },
};

/** One registration per account of a farm, on the farm's devices and address, `spacingMs` apart. */
function* farm(ctx: GroupContext, opts: { devices: number; spacingMs: number; verification: (i: number) => Verification; ip: string; number?: string }): Generator<Activity> {
  const from = placeSpan(ctx.draw, ctx.start, ctx.end, ctx.builders.length * opts.spacingMs + MINUTE);
  const lead = ctx.accounts[0]?.accountId ?? 'farm';
  let at = from;
  for (const [i, b] of ctx.builders.entries()) {
    at += i === 0 ? 0 : opts.spacingMs * ctx.draw.uniform(0.7, 1);
    ctx.abuseStarts(b.account.accountId, at);
    yield b.register(at, { deviceId: `${lead}-dev-${i % opts.devices}`, ipAddress: opts.ip, phoneNumber: opts.number, verification: opts.verification(i) });
  }
}

const farmIp = (ctx: GroupContext): string => `198.51.100.${ctx.draw.rnd.int(1, 255)}`;

export const registrationFarm: PersonaDef = {
  name: 'registration_farm',
  kind: 'abusive',
  description: 'a farm registering 10 to 18 accounts from two devices on one address within about 20 minutes, most failing or skipping the code',
  categories: ['FRAUDULENT_REGISTRATION'],
  groupSize: (draw) => draw.rnd.int(10, 19),
  run(ctx) {
    return farm(ctx, { devices: 2, spacingMs: 80 * SECOND, ip: farmIp(ctx), verification: (i) => (i % 5 === 4 ? 'verified' : i % 2 === 0 ? 'failed' : 'skipped') });
  },
};

export const deviceCycler: PersonaDef = {
  name: 'device_cycler',
  kind: 'abusive',
  description: 'one device cycling five to seven fresh accounts within an hour, each verified with a new SIM',
  categories: ['FRAUDULENT_REGISTRATION'],
  groupSize: (draw) => draw.rnd.int(5, 8),
  run(ctx) {
    return farm(ctx, { devices: 1, spacingMs: 8 * MINUTE, ip: farmIp(ctx), verification: () => 'verified' });
  },
};

export const falseNumber: PersonaDef = {
  name: 'false_number',
  kind: 'abusive',
  description: 'three or four accounts on different devices all registering one number nobody receives codes on',
  categories: ['FRAUDULENT_REGISTRATION'],
  groupSize: (draw) => draw.rnd.int(3, 5),
  *run(ctx) {
    const number = `+1202555${ctx.draw.rnd.int(1000, 10_000)}`;
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, 2 * HOUR);
    for (const [i, b] of ctx.builders.entries()) {
      const at = from + i * 15 * MINUTE;
      ctx.abuseStarts(b.account.accountId, at);
      yield b.register(at, { ipAddress: `203.0.113.${ctx.draw.rnd.int(1, 255)}`, phoneNumber: number, verification: 'failed' });
      yield b.register(at + 2 * MINUTE, { ipAddress: `203.0.113.${ctx.draw.rnd.int(1, 255)}`, phoneNumber: number, verification: 'skipped' });
    }
  },
};

/** A person's ordinary texting with a few messages that leak someone's data. */
function leaker(name: string, description: string, leak: (ctx: GroupContext) => string): PersonaDef {
  return {
    name,
    kind: 'abusive',
    description,
    categories: ['PERSONAL_DATA_SHARING'],
    groupSize: single,
    run(ctx) {
      const b = ctx.builders[0] as TrafficBuilder;
      const from = placeSpan(ctx.draw, ctx.start, ctx.end, 2 * HOUR);
      let at = from;
      const leaks = Array.from({ length: ctx.draw.rnd.int(1, 4) }, () => {
        const text = leak(ctx);
        at += ctx.draw.uniform(10, 40) * MINUTE;
        return b.text(at, ordinaryNumber(ctx.draw), { contentHash: hashOf(text), contentLength: text.length, text });
      });
      return interleave(cover(ctx, b), flagged(ctx, b.account.accountId, leaks));
    },
  };
}

export const cardSeller = leaker('card_seller', 'sells stolen card numbers by text', (ctx) => `fresh one: ${cardNumber(ctx)} exp 0${ctx.draw.rnd.int(1, 10)}/2${ctx.draw.rnd.int(7, 10)} cvv ${ctx.draw.rnd.int(100, 1000)}`);
export const idBroker = leaker('id_broker', "shares other people's social security numbers", (ctx) => `her ssn is ${ssn(ctx)}`);
export const codePhisher = leaker('code_phisher', 'relays one-time codes and passwords obtained from victims', (ctx) => (ctx.draw.chance(0.5) ? `got it, the code is ${ctx.draw.rnd.int(100_000, 1_000_000)}` : `his password is Summer${ctx.draw.rnd.int(10, 100)}!`));

export const IDENTITY_ABUSE: readonly PersonaDef[] = [spoofer, unattestedCaller, impersonator, registrationFarm, deviceCycler, falseNumber, cardSeller, idBroker, codePhisher];
