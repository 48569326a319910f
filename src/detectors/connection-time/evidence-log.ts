import type { EvidenceRingData } from '../../engine/evidence-ring';
import { pushTimedSample, tailNumbers, tailStrings, timedSampleSince, writeTailNumbers, writeTailStrings } from '../../engine/row-tails';
import { fields, type StateWriter } from '../../engine/state-writer';
import { EVIDENCE_SAMPLE } from './rules';
import { ENDED, EVIDENCE, intAt, setInt, type ConnectionTimeState } from './state';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('capacity', 'ids', 'times', 'next');

/**
 * The newest EVIDENCE_SAMPLE `end` events of an account with their event
 * times, oldest first: what the engine's EvidenceRing keeps, in the row's
 * tails (ids in `s` after the ended call ids, times at the start of `n`; see
 * state.ts). The segment grows one entry at a time (a copy of the tail; most
 * accounts end a few calls a day), then shifts in place. Its record is the
 * ring's (EvidenceRingData), so a changelog record reads the same either way.
 */

/** Appends an `end` event, dropping the oldest once EVIDENCE_SAMPLE are kept. */
export function pushEvidence(st: ConnectionTimeState, eventId: string, eventTime: number): void {
  setInt(st, EVIDENCE, pushTimedSample(st, intAt(st, ENDED), 0, intAt(st, EVIDENCE), EVIDENCE_SAMPLE, eventId, eventTime));
}

/** Ids of the kept events at or after `fromTime`, oldest first. */
export const evidenceSince = (st: ConnectionTimeState, fromTime: number): string[] => timedSampleSince(st, intAt(st, ENDED), 0, intAt(st, EVIDENCE), fromTime);

/** A copy, as a ring with its oldest entry first. */
export function evidenceToData(st: ConnectionTimeState): EvidenceRingData {
  const from = intAt(st, ENDED);
  const count = intAt(st, EVIDENCE);
  return { capacity: EVIDENCE_SAMPLE, ids: tailStrings(st, from, from + count), times: tailNumbers(st, 0, count), next: 0 };
}

/** What value(evidenceToData(st)) writes, without the copies (StateWriter). */
export function writeEvidence(out: StateWriter, st: ConnectionTimeState): void {
  const from = intAt(st, ENDED);
  const count = intAt(st, EVIDENCE);
  out.object(4);
  out.field(F.capacity);
  out.number(EVIDENCE_SAMPLE);
  out.field(F.ids);
  writeTailStrings(out, st, from, from + count);
  out.field(F.times);
  writeTailNumbers(out, st, 0, count);
  out.field(F.next);
  out.number(0);
}

/** Ring data, whichever entry its `next` points at, as the ids and times oldest first. */
export function evidenceFromData(data: EvidenceRingData): { ids: string[]; times: number[] } {
  const n = data.ids.length;
  if (data.capacity !== EVIDENCE_SAMPLE || n > EVIDENCE_SAMPLE || data.times.length !== n || !Number.isInteger(data.next)) throw new RangeError('connection_time: evidence data out of range');
  const at = (i: number): number => (data.next + i) % n;
  return {
    ids: Array.from({ length: n }, (_, i) => data.ids[at(i)] ?? ''),
    times: Array.from({ length: n }, (_, i) => data.times[at(i)] ?? Number.NEGATIVE_INFINITY),
  };
}
