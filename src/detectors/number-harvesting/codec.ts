import { joinNumbers, joinStrings, setTailNumbers, setTailStrings, tailNumbers, writeTailNumbers } from '../../engine/row-tails';
import { fields, type StateWriter } from '../../engine/state-writer';
import type { StateCodec } from '../types';
import { evidenceData, evidenceFromData, writeEvidence } from './evidence';
import { calleeList, distinctCallees, endedCalls, matchedCalls } from './outcome-window';
import { DISTINCT_CALLEE_CAP, RECENT_CALLEE_CAP } from './rules';
import { calleesAt, createNumberHarvestingState, headAt, intAt, present, RECENT, setHead, setInt, SHORT, UNANSWERED, WALK, type NumberHarvestingState, type Part, type Sweep } from './state';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('windowStart', 'ended', 'matched', 'callees', 'fired', 'evidence', 'recent', 'walk', 'count', 'unanswered', 'short');

/**
 * NumberHarvestingState as plain data for the changelog: the record the
 * detector has always written, whatever the live layout (objects before, a
 * row now). Everything is copied, never shared, because the live state keeps
 * changing after a snapshot is taken. A part the account has not needed yet
 * (the walk counter, a sweep, an evidence sample, a sweep's callees) is
 * written as null (plain data has no undefined) and comes back unused.
 */
type TimedEvidenceData = (string | number)[];

interface WalkData {
  windowStart: number;
  count: number;
  fired: boolean;
  evidence: TimedEvidenceData | null;
}

interface SweepData {
  windowStart: number;
  ended: number;
  matched: number;
  callees: number[] | null;
  fired: boolean;
  evidence: TimedEvidenceData | null;
}

export interface NumberHarvestingData {
  /** The recent callees' slots: [last, lastTime, number, time, …], empty before the first call. */
  recent: number[];
  walk: WalkData | null;
  unanswered: SweepData | null;
  short: SweepData | null;
}

const fired = (st: NumberHarvestingState, part: Part): boolean => intAt(st, part.fired) !== 0;

function walkData(st: NumberHarvestingState): WalkData | null {
  if (!present(st, WALK)) return null;
  return { windowStart: headAt(st, WALK.window), count: intAt(st, WALK.count), fired: fired(st, WALK), evidence: evidenceData(st, WALK) };
}

function sweepData(st: NumberHarvestingState, sweep: Sweep): SweepData | null {
  if (!present(st, sweep)) return null;
  const callees = distinctCallees(st, sweep) === 0 ? null : calleeList(st, sweep);
  return { windowStart: headAt(st, sweep.window), ended: endedCalls(st, sweep), matched: matchedCalls(st, sweep), callees, fired: fired(st, sweep), evidence: evidenceData(st, sweep) };
}

/** What value(sweepData(st, sweep)) writes. */
function writeSweep(out: StateWriter, st: NumberHarvestingState, sweep: Sweep): void {
  if (!present(st, sweep)) return out.null();
  out.object(6);
  out.field(F.windowStart);
  out.value(headAt(st, sweep.window));
  out.field(F.ended);
  out.value(endedCalls(st, sweep));
  out.field(F.matched);
  out.value(matchedCalls(st, sweep));
  out.field(F.callees);
  const callees = distinctCallees(st, sweep);
  if (callees === 0) {
    out.null();
  } else {
    const from = calleesAt(st, sweep);
    writeTailNumbers(out, st, from, from + callees);
  }
  out.field(F.fired);
  out.value(fired(st, sweep));
  out.field(F.evidence);
  writeEvidence(out, st, sweep);
}

/** Loads a sweep's record into the head; returns its callees and evidence, for the tails. */
function loadSweep(st: NumberHarvestingState, sweep: Sweep, d: SweepData | null): { callees: number[]; ids: string[]; times: number[] } {
  if (d === null) return { callees: [], ids: [], times: [] };
  const callees = d.callees ?? [];
  if (callees.length > DISTINCT_CALLEE_CAP) throw new RangeError('number_harvesting: more callees than the cap allows');
  const evidence = evidenceFromData(d.evidence);
  setHead(st, sweep.window, d.windowStart);
  setInt(st, sweep.count, d.ended);
  setInt(st, sweep.matched, d.matched);
  setInt(st, sweep.fired, d.fired ? 1 : 0);
  setInt(st, sweep.callees, callees.length);
  setInt(st, sweep.evidence, evidence.ids.length);
  return { callees, ...evidence };
}

export const numberHarvestingCodec: StateCodec<NumberHarvestingState> = {
  encode(st): NumberHarvestingData {
    return {
      recent: tailNumbers(st, 0, intAt(st, RECENT)),
      walk: walkData(st),
      unanswered: sweepData(st, UNANSWERED),
      short: sweepData(st, SHORT),
    };
  },
  write(st, out) {
    out.object(4);
    out.field(F.recent);
    writeTailNumbers(out, st, 0, intAt(st, RECENT));
    out.field(F.walk);
    if (present(st, WALK)) {
      out.object(4);
      out.field(F.windowStart);
      out.value(headAt(st, WALK.window));
      out.field(F.count);
      out.value(intAt(st, WALK.count));
      out.field(F.fired);
      out.value(fired(st, WALK));
      out.field(F.evidence);
      writeEvidence(out, st, WALK);
    } else {
      out.null();
    }
    out.field(F.unanswered);
    writeSweep(out, st, UNANSWERED);
    out.field(F.short);
    writeSweep(out, st, SHORT);
  },
  decode(raw) {
    // Only encode() above writes these records; the changelog carries them unchanged. Still, the row's segments are
    // found by their lengths, so a record past a cap is refused rather than laid out past it.
    const data = raw as NumberHarvestingData;
    if (data.recent.length > 2 + 2 * RECENT_CALLEE_CAP || data.recent.length % 2 !== 0) throw new RangeError('number_harvesting: recent callees out of range');
    const st = createNumberHarvestingState();
    setInt(st, RECENT, data.recent.length);
    let walk = { ids: [] as string[], times: [] as number[] };
    if (data.walk !== null) {
      walk = evidenceFromData(data.walk.evidence);
      setHead(st, WALK.window, data.walk.windowStart);
      setInt(st, WALK.count, data.walk.count);
      setInt(st, WALK.fired, data.walk.fired ? 1 : 0);
      setInt(st, WALK.evidence, walk.ids.length);
    }
    const unanswered = loadSweep(st, UNANSWERED, data.unanswered);
    const short = loadSweep(st, SHORT, data.short);
    setTailNumbers(st, joinNumbers([data.recent, unanswered.callees, short.callees, walk.times, unanswered.times, short.times]));
    setTailStrings(st, joinStrings([walk.ids, unanswered.ids, short.ids]));
    return st;
  },
};
