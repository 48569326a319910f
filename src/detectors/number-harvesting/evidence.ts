import { exactCopy } from './exact-copy';

/**
 * Evidence samples: the most recent event ids a finding carries (at most
 * EVIDENCE_SAMPLE), each with its event time, so `since()` can leave out the
 * ids of a window the counter has moved on from. Most accounts never start
 * one, so a sample is absent (undefined) until its first id, then one plain
 * array of exactly what it holds, [id, eventTime, id, eventTime, …]: a ring
 * object with two arrays (and Array.push's 17 reserved slots) costs several
 * times the ids themselves. Once full, the oldest pair is shifted out, so
 * array order is age order. (The same layout as bulk-messaging/evidence.ts;
 * detectors do not import from each other.)
 */
export type TimedEvidence = (string | number)[];

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

/** A copy for a changelog record (null when absent: plain data has no undefined), and back. */
export function copyEvidence(sample: TimedEvidence | undefined): TimedEvidence | null {
  return sample === undefined ? null : sample.slice();
}

export function restoreEvidence(data: TimedEvidence | null | undefined): TimedEvidence | undefined {
  return data === null || data === undefined || data.length === 0 ? undefined : exactCopy(data);
}
