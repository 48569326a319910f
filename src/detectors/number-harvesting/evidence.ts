import { numberAt, pushTimedSample, stringAt, timedSampleSince } from '../../engine/row-tails';
import type { StateWriter } from '../../engine/state-writer';
import { EVIDENCE_SAMPLE } from './rules';
import { evidenceIdsAt, evidenceTimesAt, headAt, setHead, type NumberHarvestingState, type Part } from './state';

/**
 * A part's evidence: its newest EVIDENCE_SAMPLE events, oldest first, ids in
 * the row's `s` and their times in `n` (state.ts). It outlives the part's
 * window, so a finding takes only the ids at or after its window start. The
 * record is the one the detector always wrote: [id, time, id, time, …], or
 * null before the first.
 */

/** Adds an event; past EVIDENCE_SAMPLE the oldest goes. */
export function pushEvidence(st: NumberHarvestingState, part: Part, eventId: string, eventTime: number): void {
  setHead(st, part.evidence, pushTimedSample(st, evidenceIdsAt(st, part), evidenceTimesAt(st, part), headAt(st, part.evidence), EVIDENCE_SAMPLE, eventId, eventTime));
}

/** Ids of the part's events at or after `fromTime`, oldest first. */
export const evidenceSince = (st: NumberHarvestingState, part: Part, fromTime: number): string[] =>
  timedSampleSince(st, evidenceIdsAt(st, part), evidenceTimesAt(st, part), headAt(st, part.evidence), fromTime);

/** The record's evidence: [id, time, …] (a copy), or null while the part has none. */
export function evidenceData(st: NumberHarvestingState, part: Part): (string | number)[] | null {
  const count = headAt(st, part.evidence);
  if (count === 0) return null;
  const ids = evidenceIdsAt(st, part);
  const times = evidenceTimesAt(st, part);
  const out: (string | number)[] = [];
  for (let i = 0; i < count; i++) out.push(stringAt(st.s, ids + i, ''), numberAt(st.n, times + i, 0));
  return out;
}

/** What value(evidenceData(st, part)) writes, without the array. */
export function writeEvidence(out: StateWriter, st: NumberHarvestingState, part: Part): void {
  const count = headAt(st, part.evidence);
  if (count === 0) return out.null();
  const ids = evidenceIdsAt(st, part);
  const times = evidenceTimesAt(st, part);
  out.array(2 * count);
  for (let i = 0; i < count; i++) {
    out.value(stringAt(st.s, ids + i, ''));
    out.value(numberAt(st.n, times + i, 0));
  }
}

/** A record's evidence as ids and times; refused when it is not [id, time, …] of at most EVIDENCE_SAMPLE events. */
export function evidenceFromData(data: readonly (string | number)[] | null): { ids: string[]; times: number[] } {
  const ids: string[] = [];
  const times: number[] = [];
  if (data === null) return { ids, times };
  if (data.length % 2 !== 0 || data.length > 2 * EVIDENCE_SAMPLE) throw new RangeError('number_harvesting: evidence data out of range');
  for (let i = 0; i < data.length; i += 2) {
    const id = data[i];
    const time = data[i + 1];
    if (typeof id !== 'string' || typeof time !== 'number') throw new RangeError('number_harvesting: evidence data is not [id, time, …]');
    ids.push(id);
    times.push(time);
  }
  return { ids, times };
}
