import type { Activity, GroupContext, PersonaDef } from '../persona';
import { ordinaryNumber } from '../numbers';
import { placeSpan } from '../rhythm';
import { endOf, interleave } from '../schedule';
import type { TrafficBuilder } from '../traffic-builder';
import { cover, flagged, force, jittered } from './abuse-kit';

/** EXCESSIVE_VOLUME and EXCESSIVE_CONNECTION_TIME: floods, harassment, a device shared to spread volume, lines held open. */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const single = (): number => 1;

/** Events at a steady rate (per hour) over a span, each made by `make`. */
function* steady(ctx: GroupContext, from: number, spanMs: number, perHour: number, make: (at: number, i: number) => Activity): Generator<Activity> {
  const gap = HOUR / Math.max(1, perHour);
  let i = 0;
  for (let at = from; at < from + spanMs && at < ctx.end; at += jittered(ctx, gap, 0.5, 0.9)) yield make(at, i++);
}

export const messageFlooder: PersonaDef = {
  name: 'message_flooder',
  kind: 'abusive',
  description: 'floods strangers with a promotion through the API: about 1,300 messages an hour for two hours (subtle: slower, over six)',
  categories: ['EXCESSIVE_VOLUME', 'BULK_MESSAGING'],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const span = (2 + 4 * ctx.knobs.subtlety) * HOUR;
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, span);
    const promo = (i: number): string => `promo-${b.account.accountId}-${i % 3}`;
    return flagged(ctx, b.account.accountId, steady(ctx, from, span, 1300 * force(ctx.knobs), (at, i) => b.text(at, ordinaryNumber(ctx.draw), { contentHash: promo(i), contentLength: 152, channel: 'api' })));
  },
};

export const harasser: PersonaDef = {
  name: 'harasser',
  kind: 'abusive',
  description: 'calls one person about 40 times an hour for an hour and a half, mostly rejected, then gets reported for harassment',
  categories: ['EXCESSIVE_VOLUME'],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const victim = ordinaryNumber(ctx.draw);
    const span = 1.5 * HOUR;
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, span + HOUR);
    const calls = steady(ctx, from, span, 40 * force(ctx.knobs), (at) =>
      b.call(at, { to: victim, disposition: ctx.draw.chance(0.5) ? 'rejected' : ctx.draw.chance(0.9) ? 'no_answer' : 'answered', ringMs: 8 * SECOND, talkMs: 8 * SECOND, attestation: 'A' }),
    );
    const report = [b.report(from + span + 20 * MINUTE, victim, 'harassment')];
    return interleave(cover(ctx, b), flagged(ctx, b.account.accountId, calls), report);
  },
};

export const messageBomber: PersonaDef = {
  name: 'message_bomber',
  kind: 'abusive',
  description: 'sends one person about 400 texts in 40 minutes',
  categories: ['EXCESSIVE_VOLUME'],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const victim = ordinaryNumber(ctx.draw);
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, 40 * MINUTE);
    const texts = steady(ctx, from, 40 * MINUTE, 600 * force(ctx.knobs), (at) => b.text(at, victim, { contentHash: b.freshContent(), contentLength: ctx.draw.rnd.int(3, 30) }));
    return interleave(cover(ctx, b), flagged(ctx, b.account.accountId, texts));
  },
};

export const deviceFarm: PersonaDef = {
  name: 'device_farm',
  kind: 'abusive',
  description: 'five accounts taking turns on one device, 120 calls an hour each (under the per-account limit), 600 an hour on the device',
  categories: ['EXCESSIVE_VOLUME'],
  groupSize: () => 5,
  *run(ctx) {
    const deviceId = `${ctx.accounts[0]?.accountId ?? 'farm'}-modem`;
    const span = 1.5 * HOUR;
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, span);
    const perHour = 600 * force(ctx.knobs);
    for (const a of steady(ctx, from, span, perHour, (at, i) => {
      const b = ctx.builders[i % ctx.builders.length] as TrafficBuilder;
      ctx.abuseStarts(b.account.accountId, at);
      const answered = ctx.draw.chance(1 / 7);
      return b.call(at, { to: ordinaryNumber(ctx.draw), disposition: answered ? 'answered' : 'no_answer', ringMs: answered ? 9 * SECOND : 30 * SECOND, talkMs: 20 * SECOND, deviceId });
    }))
      yield a;
  },
};

export const openLine: PersonaDef = {
  name: 'open_line',
  kind: 'abusive',
  description: 'holds one call connected for six to ten hours (a relay or a forgotten bridge)',
  categories: ['EXCESSIVE_CONNECTION_TIME'],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const hours = (6 + 4 * ctx.draw.rnd.next()) * force(ctx.knobs);
    const at = placeSpan(ctx.draw, ctx.start, ctx.end, Math.min(ctx.end - ctx.start, hours * HOUR) / 2);
    const held = [b.call(at, { to: ordinaryNumber(ctx.draw), disposition: 'answered', ringMs: 7 * SECOND, talkMs: hours * HOUR, attestation: 'A' })];
    return interleave(cover(ctx, b, 0.5), flagged(ctx, b.account.accountId, held));
  },
};

export const callBank: PersonaDef = {
  name: 'call_bank',
  kind: 'abusive',
  description: 'holds about six calls connected at once for hours (a gateway or a bank of lines)',
  categories: ['EXCESSIVE_CONNECTION_TIME'],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const lines = Math.max(2, Math.round(6 * force(ctx.knobs)));
    let at = placeSpan(ctx.draw, ctx.start, ctx.end, 3.5 * HOUR);
    for (let round = 0; round < 2 && at < ctx.end; round++) {
      let last = at;
      for (let n = 0; n < lines; n++) {
        const call = b.call(at + n * 5 * SECOND, { to: ordinaryNumber(ctx.draw), disposition: 'answered', ringMs: 6 * SECOND, talkMs: (2 + ctx.draw.rnd.next()) * HOUR });
        ctx.abuseStarts(b.account.accountId, call.at);
        last = Math.max(last, endOf(call));
        yield call;
      }
      at = last + ctx.draw.uniform(10, 60) * MINUTE;
    }
  },
};

export const VOLUME_ABUSE: readonly PersonaDef[] = [messageFlooder, harasser, messageBomber, deviceFarm, openLine, callBank];
