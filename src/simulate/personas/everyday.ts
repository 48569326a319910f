import type { Disposition } from '../../events/types';
import type { Activity, GroupContext } from '../persona';
import type { Draw } from '../random';
import { activeTimes, DAY_PERSON, type DayProfile } from '../rhythm';
import { favourite } from '../numbers';
import type { Planned } from '../schedule';
import { everydayText, STOCK_REPLIES } from '../texts';
import { together, type TrafficBuilder } from '../traffic-builder';

/**
 * The everyday behaviour every human persona is made of: calls to contacts
 * with lognormal lengths and a human answer rate, and conversations (bursts
 * of messages to one friend, sometimes to a group) at the hours the person is
 * awake. Heavy legitimate personas are this with bigger numbers; abusive ones
 * use it as cover traffic.
 */
const DAY = 86_400_000;
const SECOND = 1000;

export interface EverydayOptions {
  callsPerDay: number;
  conversationsPerDay: number;
  /** Mean messages per conversation. */
  messagesPerConversation: number;
  contacts: readonly string[];
  profile?: DayProfile;
  answerRate?: number;
  talkMedianMs?: number;
  /** Chance that a conversation opens with a message to a small group of contacts. */
  groupShare?: number;
  /** Share of messages whose text the platform forwards. */
  textShare?: number;
  /** A shared device used instead of the account's own, for this share of activities (a family tablet). */
  sharedDevice?: { deviceId: string; share: number };
}

/** Content hash of a text: equal texts give equal hashes, as the contract says (FNV-1a). */
export function hashOf(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `t-${h.toString(16).padStart(8, '0')}`;
}

/** How a call placed by a person ends. */
export function humanOutcome(draw: Draw, answerRate: number): Disposition {
  if (draw.chance(answerRate)) return 'answered';
  return draw.weighted<Disposition>([
    ['no_answer', 0.7],
    ['busy', 0.12],
    ['rejected', 0.14],
    ['failed', 0.04],
  ]);
}

export function personCall(draw: Draw, b: TrafficBuilder, at: number, to: string, answerRate: number, talkMedianMs: number, deviceId?: string): Activity {
  const disposition = humanOutcome(draw, answerRate);
  const talkMs = Math.min(2 * 3_600_000, draw.lognormal(talkMedianMs, 1.0));
  const ringMs = disposition === 'answered' ? draw.uniform(4, 20) * SECOND : disposition === 'no_answer' ? draw.uniform(20, 40) * SECOND : draw.uniform(2, 10) * SECOND;
  return b.call(at, { to, disposition, ringMs, talkMs, deviceId, attestation: 'A' });
}

/** A burst of messages to one contact (or a group message, then replies), seconds to minutes apart. */
export function conversation(draw: Draw, b: TrafficBuilder, at: number, contacts: readonly string[], mean: number, opts: { groupShare?: number; textShare?: number; deviceId?: string } = {}): Activity {
  const friend = favourite(draw, contacts);
  const count = 1 + draw.poisson(Math.max(0, mean - 1));
  const parts: Activity[] = [];
  let t = at;
  if (contacts.length >= 3 && draw.chance(opts.groupShare ?? 0.05)) {
    const size = Math.min(contacts.length, draw.rnd.int(3, 7));
    const group = new Set<string>();
    while (group.size < size) group.add(draw.rnd.pick(contacts));
    parts.push(message(draw, b, t, [...group], opts));
    t += draw.lognormal(40 * SECOND, 1) + 2 * SECOND;
  }
  for (let i = 0; i < count; i++) {
    parts.push(message(draw, b, t, [friend], opts));
    t += Math.min(20 * 60 * SECOND, draw.lognormal(35 * SECOND, 1.1) + 2 * SECOND);
  }
  return together(parts);
}

function message(draw: Draw, b: TrafficBuilder, at: number, to: string[], opts: { textShare?: number; deviceId?: string }): Activity {
  const deviceId = opts.deviceId;
  if (draw.chance(opts.textShare ?? 0.1)) {
    const text = everydayText(draw);
    return b.text(at, to, { contentHash: hashOf(text), contentLength: text.length, text, deviceId });
  }
  if (draw.chance(0.15)) {
    const reply = draw.rnd.pick(STOCK_REPLIES);
    return b.text(at, to, { contentHash: hashOf(reply), contentLength: reply.length, deviceId });
  }
  // Everything else is a fresh text: a hash nobody else sends.
  return b.text(at, to, { contentHash: b.freshContent(), contentLength: Math.round(Math.min(600, draw.lognormal(45, 0.8))), deviceId });
}

/** A person's ordinary day(s) of calls and conversations, as planned activities. */
export function everyday(ctx: GroupContext, b: TrafficBuilder, opts: EverydayOptions): Planned[] {
  const { draw } = ctx;
  const days = (ctx.end - ctx.start) / DAY;
  const profile = opts.profile ?? DAY_PERSON;
  const offset = b.account.utcOffsetHours;
  const device = (): string | undefined => (opts.sharedDevice && draw.chance(opts.sharedDevice.share) ? opts.sharedDevice.deviceId : undefined);
  const plans: Planned[] = [];
  for (const at of activeTimes(draw, draw.poisson(opts.callsPerDay * days), ctx.start, ctx.end, offset, profile)) {
    plans.push({ at, make: () => personCall(draw, b, at, favourite(draw, opts.contacts), opts.answerRate ?? 0.72, opts.talkMedianMs ?? 150 * SECOND, device()) });
  }
  for (const at of activeTimes(draw, draw.poisson(opts.conversationsPerDay * days), ctx.start, ctx.end, offset, profile)) {
    plans.push({ at, make: () => conversation(draw, b, at, opts.contacts, opts.messagesPerConversation, { groupShare: opts.groupShare, textShare: opts.textShare, deviceId: device() }) });
  }
  return plans;
}
