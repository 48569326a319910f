import { timedSampleData, timedSampleFromData, writeTimedSample } from '../../engine/row-tails';
import type { StateWriter } from '../../engine/state-writer';
import { EVIDENCE_SIZE } from './rules';
import { FANOUT_EVIDENCE, fanoutTimesAt, intAt, setInt, type BulkMessagingState } from './state';

/**
 * new_recipient_fanout's evidence in the changelog record: the sample in the
 * row's tails (ids at the start of `s`, times in `n`: state.ts) written as
 * [id, time, …], or null while it holds none, as before the state was a row.
 */
export const fanoutEvidenceData = (st: BulkMessagingState): (string | number)[] | null => timedSampleData(st, 0, fanoutTimesAt(st), intAt(st, FANOUT_EVIDENCE));

export const writeFanoutEvidence = (out: StateWriter, st: BulkMessagingState): void => writeTimedSample(out, st, 0, fanoutTimesAt(st), intAt(st, FANOUT_EVIDENCE));

/** A record's sample as ids and times for the tails (its count goes to the head). */
export function fanoutEvidenceFromData(st: BulkMessagingState, data: readonly (string | number)[] | null): { ids: string[]; times: number[] } {
  const sample = timedSampleFromData(data, EVIDENCE_SIZE, 'bulk_messaging');
  setInt(st, FANOUT_EVIDENCE, sample.ids.length);
  return sample;
}
