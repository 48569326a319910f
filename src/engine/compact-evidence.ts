import { exactCopy } from './exact-copy';

/**
 * Evidence samples: the most recent event ids a finding carries, at most
 * `cap` of them, oldest first. Most accounts never fill one and many
 * never start one, so a sample is absent (undefined) until its first id and
 * is a plain array of exactly what it holds: Array.push would reserve 17
 * slots, and a ring object with a cursor costs more than the ids themselves.
 * Once full, the oldest entry is shifted out, so array order is age order.
 *
 * Two kinds:
 * - TimedEvidence, [id, eventTime, id, eventTime, …] in one array: for
 *   counters whose window moves on while the sample stays, so timedSince()
 *   must tell the current window's ids from older ones by their time.
 * - IdEvidence, ids only: for samples that belong to one window and are
 *   dropped with it (a template table's), where every id is of that window.
 */
export type TimedEvidence = (string | number)[];
export type IdEvidence = string[];

/** `sample` with (id, eventTime) added, keeping the last `cap`; a new array while it grows, the same one once full. */
export function pushTimed(sample: TimedEvidence | undefined, eventId: string, eventTime: number, cap: number): TimedEvidence {
  if (sample === undefined) return [eventId, eventTime];
  if (sample.length < 2 * cap) return sample.concat(eventId, eventTime);
  sample.copyWithin(0, 2);
  sample[sample.length - 2] = eventId;
  sample[sample.length - 1] = eventTime;
  return sample;
}

/** Ids of the sample's events at or after `fromTime`, oldest first. */
export function timedSince(sample: TimedEvidence | undefined, fromTime: number): string[] {
  const out: string[] = [];
  if (sample === undefined) return out;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    const id = sample[i];
    const time = sample[i + 1];
    if (typeof id === 'string' && typeof time === 'number' && time >= fromTime) out.push(id);
  }
  return out;
}

/** `sample` with `eventId` added, keeping the last `cap`. */
export function pushId(sample: IdEvidence | undefined, eventId: string, cap: number): IdEvidence {
  if (sample === undefined) return [eventId];
  if (sample.length < cap) return sample.concat(eventId);
  sample.copyWithin(0, 1);
  sample[sample.length - 1] = eventId;
  return sample;
}

/** The sample's ids, oldest first: a copy, as a finding must not change with the live sample. */
export function idList(sample: IdEvidence | undefined): string[] {
  return sample === undefined ? [] : sample.slice();
}

/** A copy for a changelog record (null when absent: plain data has no undefined), and back. */
export function copyEvidence<T extends string | number>(sample: T[] | undefined): T[] | null {
  return sample === undefined ? null : sample.slice();
}

export function restoreEvidence<T extends string | number>(data: T[] | null | undefined): T[] | undefined {
  return data === null || data === undefined || data.length === 0 ? undefined : exactCopy(data);
}
