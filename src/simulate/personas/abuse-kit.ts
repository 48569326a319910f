import type { AbuseKnobs, Activity, GroupContext } from '../persona';
import { addressBook, homeAreaOf } from '../numbers';
import { inOrder } from '../schedule';
import type { TrafficBuilder } from '../traffic-builder';
import { everyday } from './everyday';

/**
 * What abusive personas share: how the knobs bend a rate, and the ordinary
 * traffic a human abuser sends besides the abuse (cover, and what makes the
 * account look like anyone else until the abuse starts).
 */

/** How hard to push: intensity scales the rate, subtlety holds it back towards the limits (1 → half). */
export function force(k: AbuseKnobs): number {
  return k.intensity * (1 - 0.5 * k.subtlety);
}

/** A regular gap of `ms` with ± spread growing with subtlety (a bot that jitters its timer). */
export function jittered(ctx: GroupContext, ms: number, blatantSpread: number, subtleSpread: number): number {
  const spread = blatantSpread + (subtleSpread - blatantSpread) * ctx.knobs.subtlety;
  return ms * (1 + ctx.draw.uniform(-spread, spread));
}

/** An ordinary day of calls and messages: the part of an abuser's traffic that is not abuse. */
export function cover(ctx: GroupContext, b: TrafficBuilder, scale = 1): Iterable<Activity> {
  return inOrder(everyday(ctx, b, { callsPerDay: 3 * scale, conversationsPerDay: 4 * scale, messagesPerConversation: 4, contacts: addressBook(ctx.draw, 15, homeAreaOf(ctx.draw)) }));
}

/** Marks the abuse start at the first activity of a stream. */
export function* flagged(ctx: GroupContext, accountId: string, abuse: Iterable<Activity>): Generator<Activity> {
  for (const a of abuse) {
    ctx.abuseStarts(accountId, a.at);
    yield a;
  }
}

/** A Luhn-valid card number with a Visa prefix. */
export function cardNumber(ctx: GroupContext): string {
  const digits = [4, ...Array.from({ length: 14 }, () => ctx.draw.rnd.int(0, 10))];
  let sum = 0;
  // Double every second digit from the right, counting the check digit still to come.
  for (let i = 0; i < digits.length; i++) {
    let d = digits[digits.length - 1 - i] as number;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  const check = (10 - (sum % 10)) % 10;
  const all = [...digits, check].join('');
  return `${all.slice(0, 4)} ${all.slice(4, 8)} ${all.slice(8, 12)} ${all.slice(12)}`;
}

/** An SSN in the issued ranges (never 000, 666 or 9xx; no zero group or serial). */
export function ssn(ctx: GroupContext): string {
  let area = ctx.draw.rnd.int(1, 900);
  if (area === 666) area = 667;
  return `${String(area).padStart(3, '0')}-${String(ctx.draw.rnd.int(1, 100)).padStart(2, '0')}-${String(ctx.draw.rnd.int(1, 10_000)).padStart(4, '0')}`;
}
