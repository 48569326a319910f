import type { Activity, GroupContext, PersonaDef } from '../persona';
import { addressBook, ordinaryNumber } from '../numbers';
import { placeSpan } from '../rhythm';
import type { TrafficBuilder } from '../traffic-builder';
import { force, jittered } from './abuse-kit';

/** AUTOMATED_ORIGINATION and BULK_MESSAGING: diallers and bots on a timer, promotions and campaigns to strangers. */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const single = (): number => 1;

export const robodialler: PersonaDef = {
  name: 'robodialler',
  kind: 'abusive',
  description: 'a dialler on a timer: a call every 12 s for two hours, hanging up within seconds of an answer (subtle: jittered by up to ±25 %)',
  categories: ['AUTOMATED_ORIGINATION'],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, 2 * HOUR);
    const gap = (12 * SECOND) / Math.max(0.2, ctx.knobs.intensity);
    for (let at = from; at < from + 2 * HOUR && at < ctx.end; at += jittered(ctx, gap, 0.015, 0.25)) {
      ctx.abuseStarts(b.account.accountId, at);
      const answered = ctx.draw.chance(0.35);
      yield b.call(at, { to: ordinaryNumber(ctx.draw), disposition: answered ? 'answered' : 'no_answer', ringMs: answered ? ctx.draw.uniform(4, 9) * SECOND : 25 * SECOND, talkMs: ctx.draw.uniform(1.5, 5) * SECOND, channel: 'api' });
    }
  },
};

export const apiBot: PersonaDef = {
  name: 'api_bot',
  kind: 'abusive',
  description: 'an API bot messaging a list around the clock, every 5 to 15 s: hundreds an hour and no night',
  categories: ['AUTOMATED_ORIGINATION'],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const list = addressBook(ctx.draw, 40);
    const slow = 1 + 2 * ctx.knobs.subtlety;
    for (let at = ctx.start + ctx.draw.uniform(0, 10 * MINUTE), i = 0; at < ctx.end; at += (ctx.draw.uniform(5, 15) * SECOND * slow) / Math.max(0.2, ctx.knobs.intensity), i++) {
      ctx.abuseStarts(b.account.accountId, at);
      yield b.text(at, list[i % list.length] as string, { contentHash: `${b.account.accountId}-notice-${i % 5}`, contentLength: 90, channel: 'api' });
    }
  },
};

export const chatBot: PersonaDef = {
  name: 'chat_bot',
  kind: 'abusive',
  description: 'a scripted chat bot in the app holding 11 to 14 messages a minute for 45 minutes',
  categories: ['AUTOMATED_ORIGINATION'],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const contacts = addressBook(ctx.draw, 25);
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, 50 * MINUTE);
    // A steady 11 to 14 a minute, a little jitter on each gap.
    const gap = MINUTE / (ctx.draw.uniform(11, 14) * force(ctx.knobs));
    for (let at = from; at < from + 45 * MINUTE && at < ctx.end; at += gap * ctx.draw.uniform(0.7, 1.3)) {
      ctx.abuseStarts(b.account.accountId, at);
      yield b.text(at, ctx.draw.rnd.pick(contacts), { contentHash: b.freshContent(), contentLength: ctx.draw.rnd.int(20, 140) });
    }
  },
};

/** Messages to `targets` at human-looking gaps around `meanGapMs`, starting at `from`. */
function* campaign(ctx: GroupContext, b: TrafficBuilder, from: number, targets: readonly string[], meanGapMs: number, content: (i: number) => string, channel: 'app' | 'api' = 'app'): Generator<Activity> {
  let at = from;
  for (const [i, to] of targets.entries()) {
    if (at >= ctx.end) return;
    ctx.abuseStarts(b.account.accountId, at);
    yield b.text(at, to, { contentHash: content(i), contentLength: 150, channel });
    at += meanGapMs * ctx.draw.uniform(0.3, 1.7);
  }
}

export const promoSpammer: PersonaDef = {
  name: 'promo_spammer',
  kind: 'abusive',
  description: 'one promotion to about 450 numbers it never messaged, some 90 an hour (subtle: a new wording every 45)',
  categories: ['BULK_MESSAGING'],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const count = Math.round(450 * force(ctx.knobs));
    const block = `+1312${ctx.draw.rnd.int(200, 1000)}`;
    const targets = Array.from({ length: count }, (_, i) => `${block}${String(1000 + i * 7).padStart(4, '0')}`);
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, 5 * HOUR);
    const rotate = ctx.knobs.subtlety > 0.5;
    return campaign(ctx, b, from, targets, 40 * SECOND, (i) => `${b.account.accountId}-promo-${rotate ? Math.floor(i / 45) : 0}`, 'api');
  },
};

export const templateRotator: PersonaDef = {
  name: 'template_rotator',
  kind: 'abusive',
  description: 'a loan pitch rotating four wordings, 45 recipients each, so no single content passes the same-content limit',
  categories: ['BULK_MESSAGING'],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const targets = addressBook(ctx.draw, Math.round(180 * force(ctx.knobs)));
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, 5 * HOUR);
    return campaign(ctx, b, from, targets, 80 * SECOND, (i) => `${b.account.accountId}-loan-v${i % 4}`);
  },
};

export const reportedSender: PersonaDef = {
  name: 'reported_sender',
  kind: 'abusive',
  description: 'personalised pitches ("Hi Sam, ...") to about 160 strangers, one in seventeen of whom reports it as spam',
  categories: ['BULK_MESSAGING'],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const targets = addressBook(ctx.draw, Math.round(160 * force(ctx.knobs)));
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, 6 * HOUR);
    const reports: Activity[] = [];
    for (const a of campaign(ctx, b, from, targets, 75 * SECOND, () => b.freshContent())) {
      while (reports.length > 0 && (reports[0] as Activity).at <= a.at) yield reports.shift() as Activity;
      yield a;
      const to = a.events[0]?.type === 'message' ? a.events[0].to : undefined;
      if (to !== undefined && ctx.draw.chance(1 / 17)) {
        reports.push(b.report(a.at + ctx.draw.uniform(20, 180) * MINUTE, to, ctx.draw.chance(0.3) ? 'unwanted' : 'spam'));
        reports.sort((x, y) => x.at - y.at);
      }
    }
    yield* reports;
  },
};

export const MESSAGING_ABUSE: readonly PersonaDef[] = [robodialler, apiBot, chatBot, promoSpammer, templateRotator, reportedSender];
