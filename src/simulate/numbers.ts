import type { Draw } from './random';

/**
 * Phone numbers for the simulated world: the accounts' own, their contacts',
 * and the ranges abusers aim at. Ordinary numbers come from everyday US area
 * codes (never a premium or high-risk range) and are scattered, as a person's
 * contacts are, so they never look like a dialling walk.
 */
const AREA_CODES = ['212', '646', '718', '917', '415', '510', '650', '408', '312', '773', '617', '305', '206', '303', '404', '512', '602', '713', '214', '503', '612', '702', '215', '313'];

/** The account's own number, unique per index (the 555-01xx..555-99xx space of a few area codes is ample). */
export function accountNumber(index: number): string {
  const area = ['628', '669', '341', '747'][index % 4] ?? '628';
  return `+1${area}${String(2_000_000 + Math.floor(index / 4)).padStart(7, '0')}`;
}

/** A random ordinary US number. */
export function ordinaryNumber(draw: Draw): string {
  return `+1${draw.rnd.pick(AREA_CODES)}${draw.rnd.int(200, 1000)}${String(draw.rnd.int(0, 10_000)).padStart(4, '0')}`;
}

/** A number in one home area code: a person's local contacts, shops and doctor. */
export function localNumber(draw: Draw, area: string): string {
  return `+1${area}${draw.rnd.int(200, 1000)}${String(draw.rnd.int(0, 10_000)).padStart(4, '0')}`;
}

/** `count` distinct contacts, mostly in the home area code, some elsewhere. */
export function addressBook(draw: Draw, count: number, homeArea?: string): string[] {
  const book = new Set<string>();
  while (book.size < count) book.add(homeArea !== undefined && draw.chance(0.6) ? localNumber(draw, homeArea) : ordinaryNumber(draw));
  return [...book];
}

export function homeAreaOf(draw: Draw): string {
  return draw.rnd.pick(AREA_CODES);
}

/** Zipf-like preference: a few contacts get most of the traffic, as in real address books. */
export function favourite<T>(draw: Draw, items: readonly T[]): T {
  const i = Math.min(items.length - 1, Math.floor(items.length * Math.pow(draw.rnd.next(), 2.2)));
  return items[i] as T;
}
