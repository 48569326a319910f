import { insertTailNumber, insertTailString, setTailNumber, setTailString, spliceNumbers, spliceStrings, tailNumber, tailNumbers, tailString, tailStrings, writeTailNumbers, writeTailStrings } from '../../engine/row-tails';
import { fields, type StateWriter } from '../../engine/state-writer';
import { EVIDENCE_SAMPLE } from './rules';
import { EVIDENCE_COUNTS, EVIDENCE_ROOM, EVIDENCE_SIZE, evidenceIdsAt, intAt, setInt, type AutomatedOriginationState } from './state';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('ids', 'times', 'samples');

/**
 * The evidence samples of an account: each is what an EvidenceRing of its
 * own would hold, the newest EVIDENCE_SAMPLE events pushed to it. One event
 * is usually evidence for several (a dialled call is an origination, a call
 * whose spacing is judged, maybe an API call), so they share one log instead.
 */
export const SAMPLE = {
  /** Originations of both kinds: sustained_origination_rate and no_diurnal_rest. */
  recent: 1,
  /** regular_interarrival, one sample per kind: the calls, and the messages, whose spacing it judged. */
  calls: 2,
  messages: 4,
  /** api_originations_per_hour: every API delivery, fan-outs included. */
  api: 8,
  /** short_answered_calls: the `end`s of short answered calls. */
  shortCalls: 16,
} as const;
export type Sample = (typeof SAMPLE)[keyof typeof SAMPLE];
const ALL_SAMPLES = Object.values(SAMPLE).reduce<number>((all, s) => all | s, 0);

/** Events per sample, in COUNT_BITS bits each of one small integer: up to EVIDENCE_SAMPLE + 1 (a push before its drop). */
const COUNT_BITS = 32 - Math.clz32(EVIDENCE_SAMPLE + 1);
const COUNT_MASK = 2 ** COUNT_BITS - 1;
const countShift = (sample: Sample): number => COUNT_BITS * (31 - Math.clz32(sample));

/** The log as plain data for the changelog, entries oldest first; evidenceFromData() gives the same log back. */
export interface EvidenceLogData {
  ids: string[];
  times: number[];
  /** Per entry, the samples it belongs to (a sum of SAMPLE values). */
  samples: number[];
}

/*
 * Events oldest first, each stored once with the samples it belongs to, in
 * the row (state.ts): ids in `s` after the last message id, times and then
 * samples at the start of `n`, EVIDENCE_ROOM slots of each, the first
 * EVIDENCE_SIZE in use. A push to a sample takes the sample away from its
 * oldest event once it holds more than EVIDENCE_SAMPLE, and an event in no
 * sample any more is removed, so the log holds at most 5 × EVIDENCE_SAMPLE
 * events (none for an account that stays far under every limit: the rules
 * push only near one), and one slot more for a moment.
 *
 * The segments grow one slot at a time (a copy of the tails); an entry
 * removed leaves its slot free at the end (cleared, so it keeps no string
 * alive) for the next push, so an account at a steady rate near a limit
 * writes in place rather than copying on every event. Emptying a sample
 * gives the free slots back.
 */

type Log = AutomatedOriginationState;

/** Entries held, whatever their samples. */
export const evidenceLength = (st: Log): number => intAt(st, EVIDENCE_SIZE);

const idAt = (st: Log, i: number): string => tailString(st, evidenceIdsAt(st) + i, '');
const timeAt = (st: Log, i: number): number => tailNumber(st, i, Number.NEGATIVE_INFINITY);
const room = (st: Log): number => intAt(st, EVIDENCE_ROOM);
const samplesAt = (st: Log, i: number): number => tailNumber(st, room(st) + i, 0);
const countIn = (st: Log, sample: Sample): number => (intAt(st, EVIDENCE_COUNTS) >>> countShift(sample)) & COUNT_MASK;

function setSamples(st: Log, i: number, samples: number): void {
  setTailNumber(st, room(st) + i, samples);
}

/** The first entry in `sample` (the log's size when none). */
function oldestIn(st: Log, sample: Sample): number {
  const size = evidenceLength(st);
  let i = 0;
  while (i < size && (samplesAt(st, i) & sample) === 0) i++;
  return i;
}

function appendEntry(st: Log, eventId: string, eventTime: number, sample: Sample): void {
  const size = evidenceLength(st);
  const slots = room(st);
  if (size < slots) {
    // A free slot: the log's tails hold entries, so they are written in place.
    setTailString(st, evidenceIdsAt(st) + size, eventId);
    setTailNumber(st, size, eventTime);
    setTailNumber(st, slots + size, sample);
  } else {
    insertTailString(st, evidenceIdsAt(st) + size, eventId);
    // The sample at the end of its segment, then the time at the end of its own, which moves the samples on by one.
    insertTailNumber(st, 2 * size, sample);
    insertTailNumber(st, size, eventTime);
    setInt(st, EVIDENCE_ROOM, size + 1);
  }
  setInt(st, EVIDENCE_SIZE, size + 1);
}

/** Moves the entries after `i` down by one: the last slot in use becomes free (cleared). */
function removeEntry(st: Log, i: number): void {
  const size = evidenceLength(st);
  const slots = room(st);
  const ids = evidenceIdsAt(st);
  for (let j = i + 1; j < size; j++) {
    setTailString(st, ids + j - 1, tailString(st, ids + j, ''));
    setTailNumber(st, j - 1, tailNumber(st, j, 0));
    setTailNumber(st, slots + j - 1, tailNumber(st, slots + j, 0));
  }
  setTailString(st, ids + size - 1, '');
  setTailNumber(st, size - 1, 0);
  setTailNumber(st, slots + size - 1, 0);
  setInt(st, EVIDENCE_SIZE, size - 1);
}

/** Removes entry `i` and appends the event, in place: the log keeps its length. */
function shiftOut(st: Log, i: number, eventId: string, eventTime: number, sample: Sample): void {
  removeEntry(st, i);
  appendEntry(st, eventId, eventTime, sample);
}

/**
 * Adds an event to `sample`. The same event pushed to another sample right
 * after (same id and time, the next rule looking at it) joins the entry
 * pushed last rather than taking one more.
 */
export function pushEvidence(st: Log, eventId: string, eventTime: number, sample: Sample): void {
  const last = evidenceLength(st) - 1;
  if (last >= 0 && (samplesAt(st, last) & sample) === 0 && idAt(st, last) === eventId && timeAt(st, last) === eventTime) {
    setSamples(st, last, samplesAt(st, last) | sample);
  } else {
    if (countIn(st, sample) === EVIDENCE_SAMPLE) {
      // Full: its oldest event leaves it; when in no other sample, the event takes its place (counts do not change).
      const oldest = oldestIn(st, sample);
      if ((samplesAt(st, oldest) & ~sample) === 0) return shiftOut(st, oldest, eventId, eventTime, sample);
    }
    appendEntry(st, eventId, eventTime, sample);
  }
  setInt(st, EVIDENCE_COUNTS, intAt(st, EVIDENCE_COUNTS) + (1 << countShift(sample)));
  dropBeyondSample(st, sample);
}

/** After a push to `sample`: past EVIDENCE_SAMPLE events, its oldest leaves it (and the log, if in no other sample). */
function dropBeyondSample(st: Log, sample: Sample): void {
  if (countIn(st, sample) <= EVIDENCE_SAMPLE) return;
  const oldest = oldestIn(st, sample);
  if (oldest === evidenceLength(st)) return;
  setInt(st, EVIDENCE_COUNTS, intAt(st, EVIDENCE_COUNTS) - (1 << countShift(sample)));
  const left = samplesAt(st, oldest) & ~sample;
  if (left !== 0) setSamples(st, oldest, left);
  else removeEntry(st, oldest);
}

/** Ids of the sample's events at or after `fromTime`, oldest first (as EvidenceRing.since). */
export function evidenceSince(st: Log, sample: Sample, fromTime: number): string[] {
  const out: string[] = [];
  const size = evidenceLength(st);
  for (let i = 0; i < size; i++) if ((samplesAt(st, i) & sample) !== 0 && timeAt(st, i) >= fromTime) out.push(idAt(st, i));
  return out;
}

/** Takes every event out of `sample` (and out of the log, those in no other sample). */
export function clearEvidence(st: Log, sample: Sample): void {
  const count = countIn(st, sample);
  if (count === 0) return;
  setInt(st, EVIDENCE_COUNTS, intAt(st, EVIDENCE_COUNTS) - (count << countShift(sample)));
  const size = evidenceLength(st);
  const slots = room(st);
  const ids: string[] = [];
  const times: number[] = [];
  const samples: number[] = [];
  for (let i = 0; i < size; i++) {
    const left = samplesAt(st, i) & ~sample;
    if (left === 0) continue;
    ids.push(idAt(st, i));
    times.push(timeAt(st, i));
    samples.push(left);
  }
  // Exactly as long as what is left: the free slots go too.
  spliceStrings(st, evidenceIdsAt(st), slots, ids);
  spliceNumbers(st, 0, 2 * slots, times.concat(samples));
  setInt(st, EVIDENCE_SIZE, ids.length);
  setInt(st, EVIDENCE_ROOM, ids.length);
}

/** A copy: the live log keeps changing after a snapshot is taken. */
export function evidenceToData(st: Log): EvidenceLogData {
  const size = evidenceLength(st);
  const ids = evidenceIdsAt(st);
  return { ids: tailStrings(st, ids, ids + size), times: tailNumbers(st, 0, size), samples: tailNumbers(st, room(st), room(st) + size) };
}

/** What value(evidenceToData(st)) writes, without the copies (StateWriter). */
export function writeEvidence(out: StateWriter, st: Log): void {
  const size = evidenceLength(st);
  const ids = evidenceIdsAt(st);
  out.object(3);
  out.field(F.ids);
  writeTailStrings(out, st, ids, ids + size);
  out.field(F.times);
  writeTailNumbers(out, st, 0, size);
  out.field(F.samples);
  writeTailNumbers(out, st, room(st), room(st) + size);
}

/** A record's log, checked: its entries and the packed per-sample counts (EVIDENCE_COUNTS). */
export function evidenceFromData(data: EvidenceLogData): { ids: string[]; times: number[]; samples: number[]; counts: number } {
  const n = data.ids.length;
  const counts = Object.values(SAMPLE).map((sample) => data.samples.filter((s) => (s & sample) !== 0).length);
  // A damaged record is refused: a sample over its size would hold events the live log would have let go.
  const fits = data.times.length === n && data.samples.length === n && data.samples.every((s) => Number.isInteger(s) && s >= 1 && (s & ~ALL_SAMPLES) === 0);
  if (!fits || counts.some((c) => c > EVIDENCE_SAMPLE)) throw new RangeError('automated_origination: evidence log data out of range');
  const packed = Object.values(SAMPLE).reduce((sum, sample, i) => sum + (counts[i] ?? 0) * (1 << countShift(sample)), 0);
  return { ids: data.ids.slice(), times: data.times.slice(), samples: data.samples.slice(), counts: packed };
}
