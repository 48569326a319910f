import type { Draw } from './random';

/**
 * Human rhythm: how likely a person is to be active at each hour of their
 * local day. Asleep from about midnight to six, busiest in the evening.
 */
const HOUR = 3_600_000;

export type DayProfile = readonly number[];

export const DAY_PERSON: DayProfile = [0.25, 0.1, 0.05, 0.03, 0.03, 0.08, 0.3, 0.7, 0.9, 1, 1, 1, 1.1, 1, 0.95, 0.95, 1, 1.1, 1.3, 1.5, 1.5, 1.3, 0.9, 0.5];
/** Office hours, nine to six with a lunch dip. */
export const OFFICE: DayProfile = [0, 0, 0, 0, 0, 0, 0, 0.05, 0.5, 1, 1, 1, 0.5, 0.9, 1, 1, 1, 0.8, 0.2, 0, 0, 0, 0, 0];
/** A night-shift worker's day: awake and busy from eight at night to eight in the morning. */
export const NIGHT_SHIFT: DayProfile = [1, 1, 1, 0.9, 0.9, 1, 1, 0.6, 0.1, 0.02, 0, 0, 0, 0, 0.02, 0.05, 0.2, 0.5, 0.7, 0.8, 1, 1, 1, 1];

/** The local hour (0–23) of an instant for someone `utcOffsetHours` from UTC. */
export function localHour(t: number, utcOffsetHours: number): number {
  return Math.floor((((t / HOUR + utcOffsetHours) % 24) + 24) % 24);
}

/** `count` instants in [start, end), sorted, drawn with the profile's weight for the local hour (rejection sampling). */
export function activeTimes(draw: Draw, count: number, start: number, end: number, utcOffsetHours: number, profile: DayProfile = DAY_PERSON): number[] {
  const max = Math.max(...profile);
  const out: number[] = [];
  // A profile with no weight in the window would loop for ever: give up after a bounded number of tries.
  for (let tries = 0; out.length < count && tries < count * 200 + 1000; tries++) {
    const t = draw.uniform(start, end);
    if (draw.rnd.next() * max < (profile[localHour(t, utcOffsetHours)] ?? 0)) out.push(Math.floor(t));
  }
  return out.sort((a, b) => a - b);
}

/** The first instant at or after `t` when the local hour is `hour`. */
export function nextLocalHour(t: number, utcOffsetHours: number, hour: number): number {
  const atHour = Math.floor(t / HOUR) * HOUR;
  for (let h = 0; h < 48; h++) {
    const candidate = atHour + h * HOUR;
    if (candidate >= t && localHour(candidate, utcOffsetHours) === hour) return candidate;
  }
  return t;
}

/** Where a span of `spanMs` can start so that it fits in [start, end): a random place, or the start when it cannot fit. */
export function placeSpan(draw: Draw, start: number, end: number, spanMs: number): number {
  return end - start <= spanMs ? start : Math.floor(draw.uniform(start, end - spanMs));
}
