import { pushTimedSample, timedSampleData, timedSampleFromData, timedSampleSince, writeTimedSample } from '../../engine/row-tails';
import type { StateWriter } from '../../engine/state-writer';
import { EVIDENCE_SAMPLE } from './rules';
import { evidenceIdsAt, evidenceTimesAt, intAt, setInt, type NumberHarvestingState, type Part } from './state';

/**
 * A part's evidence: its newest EVIDENCE_SAMPLE events, oldest first, ids in
 * the row's `s` and their times in `n` (state.ts). It outlives the part's
 * window, so a finding takes only the ids at or after its window start. The
 * record is the one the detector always wrote: [id, time, id, time, …], or
 * null before the first.
 */

/** Adds an event; past EVIDENCE_SAMPLE the oldest goes. */
export function pushEvidence(st: NumberHarvestingState, part: Part, eventId: string, eventTime: number): void {
  setInt(st, part.evidence, pushTimedSample(st, evidenceIdsAt(st, part), evidenceTimesAt(st, part), intAt(st, part.evidence), EVIDENCE_SAMPLE, eventId, eventTime));
}

/** Ids of the part's events at or after `fromTime`, oldest first. */
export const evidenceSince = (st: NumberHarvestingState, part: Part, fromTime: number): string[] =>
  timedSampleSince(st, evidenceIdsAt(st, part), evidenceTimesAt(st, part), intAt(st, part.evidence), fromTime);

/** The record's evidence: [id, time, …] (a copy), or null while the part has none. */
export const evidenceData = (st: NumberHarvestingState, part: Part): (string | number)[] | null =>
  timedSampleData(st, evidenceIdsAt(st, part), evidenceTimesAt(st, part), intAt(st, part.evidence));

/** What value(evidenceData(st, part)) writes, without the array. */
export const writeEvidence = (out: StateWriter, st: NumberHarvestingState, part: Part): void =>
  writeTimedSample(out, st, evidenceIdsAt(st, part), evidenceTimesAt(st, part), intAt(st, part.evidence));

/** A record's evidence as ids and times; refused when it is not [id, time, …] of at most EVIDENCE_SAMPLE events. */
export const evidenceFromData = (data: readonly (string | number)[] | null): { ids: string[]; times: number[] } => timedSampleFromData(data, EVIDENCE_SAMPLE, 'number_harvesting');
