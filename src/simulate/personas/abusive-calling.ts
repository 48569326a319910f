import type { Disposition } from '../../events/types';
import type { Activity, PersonaDef } from '../persona';
import { ordinaryNumber } from '../numbers';
import { placeSpan } from '../rhythm';
import { endOf, interleave } from '../schedule';
import type { TrafficBuilder } from '../traffic-builder';
import { cover, flagged, force, jittered } from './abuse-kit';

/** NUMBER_HARVESTING and INCOME_GENERATION: range walks, sweeps and probes; pumping premium and international ranges. */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const single = (): number => 1;
const UNANSWERED: readonly Disposition[] = ['no_answer', 'busy', 'rejected', 'failed'];

export const warDialler: PersonaDef = {
  name: 'war_dialler',
  kind: 'abusive',
  description: 'walks a range of numbers in order, two calls a minute for two and a half hours; nearly nobody answers',
  categories: ['NUMBER_HARVESTING'],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const block = `+1${ctx.draw.rnd.pick(['212', '415', '312', '617'])}${ctx.draw.rnd.int(200, 1000)}`;
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, 2.5 * HOUR);
    const gap = (30 * SECOND) / Math.max(0.2, force(ctx.knobs));
    // Subtle walkers skip a few numbers at a time; the blatant ones take every one.
    let suffix = ctx.draw.rnd.int(0, 5000);
    for (let at = from; at < from + 2.5 * HOUR && at < ctx.end && suffix < 10_000; at += jittered(ctx, gap, 0.2, 0.5)) {
      ctx.abuseStarts(b.account.accountId, at);
      const roll = ctx.draw.rnd.next();
      const disposition: Disposition = roll < 0.1 ? 'answered' : roll < 0.4 ? 'invalid_number' : 'no_answer';
      yield b.call(at, { to: `${block}${String(suffix).padStart(4, '0')}`, disposition, ringMs: ctx.draw.uniform(2, 25) * SECOND, talkMs: ctx.draw.uniform(1, 20) * SECOND });
      suffix += 1 + (ctx.knobs.subtlety > 0 ? ctx.draw.rnd.int(0, Math.round(1 + 8 * ctx.knobs.subtlety)) : 0);
    }
  },
};

export const validator: PersonaDef = {
  name: 'number_validator',
  kind: 'abusive',
  description: 'checks which random numbers exist: a call every 25 to 45 s for two hours, most numbers invalid',
  categories: ['NUMBER_HARVESTING'],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, 2 * HOUR);
    for (let at = from; at < from + 2 * HOUR && at < ctx.end; at += (ctx.draw.uniform(25, 45) * SECOND) / Math.max(0.2, force(ctx.knobs))) {
      ctx.abuseStarts(b.account.accountId, at);
      const roll = ctx.draw.rnd.next();
      const disposition: Disposition = roll < 0.7 ? 'invalid_number' : roll < 0.9 ? ctx.draw.rnd.pick(UNANSWERED) : 'answered';
      yield b.call(at, { to: ordinaryNumber(ctx.draw), disposition, ringMs: disposition === 'invalid_number' ? ctx.draw.uniform(0.5, 3) * SECOND : ctx.draw.uniform(5, 20) * SECOND, talkMs: ctx.draw.uniform(5, 40) * SECOND });
    }
  },
};

export const prober: PersonaDef = {
  name: 'prober',
  kind: 'abusive',
  description: 'confirms live numbers all day: a call every few minutes, hung up within a second or two of the answer',
  categories: ['NUMBER_HARVESTING'],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    // 110 numbers over at most 12 hours: closer together when the window is shorter.
    const span = Math.min(12 * HOUR, ctx.end - ctx.start);
    const gap = span / (110 * force(ctx.knobs));
    for (let at = placeSpan(ctx.draw, ctx.start, ctx.end, span); at < ctx.end; at += gap * ctx.draw.uniform(0.8, 1.2)) {
      ctx.abuseStarts(b.account.accountId, at);
      const answered = ctx.draw.chance(0.75);
      yield b.call(at, { to: ordinaryNumber(ctx.draw), disposition: answered ? 'answered' : 'no_answer', ringMs: answered ? ctx.draw.uniform(4, 15) * SECOND : 30 * SECOND, talkMs: ctx.draw.uniform(300, 1500) });
    }
  },
};

export const trafficPumper: PersonaDef = {
  name: 'traffic_pumper',
  kind: 'abusive',
  description: 'holds long calls (50 to 64 minutes) to two international-network (+882) numbers it is paid for, one after another',
  categories: ['INCOME_GENERATION'],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const lines = [`+88213${ctx.draw.rnd.int(1_000_000, 10_000_000)}`, `+88213${ctx.draw.rnd.int(1_000_000, 10_000_000)}`];
    let at = placeSpan(ctx.draw, ctx.start, ctx.end, 4 * HOUR);
    for (let i = 0; i < Math.max(1, Math.round(10 * force(ctx.knobs))) && at < ctx.end; i++) {
      ctx.abuseStarts(b.account.accountId, at);
      const call = b.call(at, { to: lines[i % 2] as string, disposition: 'answered', ringMs: 12 * SECOND, talkMs: ctx.draw.uniform(50, 64) * MINUTE * (1 - 0.5 * ctx.knobs.subtlety) });
      yield call;
      at = endOf(call) + ctx.draw.uniform(1, 20) * MINUTE;
    }
  },
};

export const smsPumper: PersonaDef = {
  name: 'sms_pumper',
  kind: 'abusive',
  description: 'premium SMS pumping: about 40 messages to UK premium-rate numbers in two hours',
  categories: ['INCOME_GENERATION'],
  groupSize: single,
  run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    const from = placeSpan(ctx.draw, ctx.start, ctx.end, 2 * HOUR);
    const count = Math.max(1, Math.round(40 * force(ctx.knobs)));
    const texts: Activity[] = [];
    for (let i = 0; i < count; i++) texts.push(b.text(from + ((i * 2 * HOUR) / count) * ctx.draw.uniform(0.9, 1), `+44906555${1000 + (i % 8)}`, { contentHash: b.freshContent(), contentLength: 20 }));
    texts.sort((x, y) => x.at - y.at);
    return interleave(cover(ctx, b), flagged(ctx, b.account.accountId, texts.filter((t) => t.at < ctx.end)));
  },
};

export const simbox: PersonaDef = {
  name: 'simbox',
  kind: 'abusive',
  description: 'sim-box-like surge: hours of ordinary calls, then about 60 calls in half an hour into a range it never called (+234)',
  categories: ['INCOME_GENERATION'],
  groupSize: single,
  *run(ctx) {
    const b = ctx.builders[0] as TrafficBuilder;
    // A history of at least a dozen ordinary calls comes first, over the first half of the window at most.
    const historySpan = Math.min(6 * HOUR, (ctx.end - ctx.start) / 2);
    const home = `+1${ctx.draw.rnd.pick(['415', '212', '305'])}`;
    for (let i = 0; i < 14; i++) {
      const at = ctx.start + (i * historySpan) / 14 + ctx.draw.uniform(0, historySpan / 28);
      yield b.call(at, { to: `${home}${ctx.draw.rnd.int(2_000_000, 10_000_000)}`, disposition: 'answered', ringMs: 8 * SECOND, talkMs: ctx.draw.uniform(1, 9) * MINUTE, attestation: 'A' });
    }
    const from = placeSpan(ctx.draw, ctx.start + historySpan + 10 * MINUTE, ctx.end, 40 * MINUTE);
    const count = Math.round(60 * force(ctx.knobs));
    for (let i = 0, at = from; i < count && at < ctx.end; i++, at += 30 * SECOND * ctx.draw.uniform(0.8, 1.2)) {
      ctx.abuseStarts(b.account.accountId, at);
      yield b.call(at, { to: `+234803${ctx.draw.rnd.int(1_000_000, 10_000_000)}`, disposition: 'answered', ringMs: 10 * SECOND, talkMs: ctx.draw.uniform(60, 120) * SECOND });
    }
  },
};

export const CALLING_ABUSE: readonly PersonaDef[] = [warDialler, validator, prober, trafficPumper, smsPumper, simbox];
