import type { EvidenceRingData } from '../../engine/evidence-ring';
import { joinNumbers, joinStrings, setTailNumbers, setTailStrings, tailString, tailStrings, writeTailStrings } from '../../engine/row-tails';
import { fields, type Field, type StateWriter } from '../../engine/state-writer';
import type { StateCodec } from '../types';
import { evidenceFromData, evidenceToData, writeEvidence } from './evidence-log';
import { answeredAt, answerEventId, longChecked, openCount } from './open-calls';
import { MAX_OPEN_CALLS, RECENTLY_ENDED_CAP } from './rules';
import {
  CONCURRENT_GUARD,
  createState,
  DAY_CLOSED_MS,
  DAY_FIRED,
  DAY_WINDOW,
  ENDED,
  EVIDENCE,
  guardFired,
  guardWindow,
  headAt,
  intAt,
  LONG_CALL_GUARD,
  OPEN,
  setHead,
  setInt,
  WAKE_AT,
  type ConnectionTimeState,
  type Guard,
} from './state';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('longCall', 'concurrent', 'windowStart', 'fired', 'v', 'open', 'callId', 'answeredAt', 'answerEventId', 'longChecked', 'recentlyEnded', 'daily', 'closedMs', 'endedEvidence', 'wakeAt');

/**
 * The state of one account as plain data, for the changelog: the record
 * version 1 has always written, whatever the live layout (an object per
 * account before, a row now). Open calls are a list in answer order (which
 * concurrent_calls' evidence follows). `wakeAt` is kept: it is the timer the
 * live state is waiting for, which onRestore asks for again (timers are not
 * in the snapshot). Every array is a copy both ways: the live state keeps
 * changing after a snapshot, and one record may be decoded twice.
 */
interface OpenCallData {
  callId: string;
  answeredAt: number;
  answerEventId: string;
  longChecked: boolean;
}

interface FireOnceData {
  windowStart: number;
  fired: boolean;
}

export interface ConnectionTimeData {
  /** Format version: bumped when the shape changes, so an old record is refused rather than misread. */
  v: 1;
  open: OpenCallData[];
  recentlyEnded: string[];
  longCall: FireOnceData;
  concurrent: FireOnceData;
  daily: { windowStart: number; closedMs: number; fired: boolean };
  endedEvidence: EvidenceRingData;
  wakeAt: number;
}

function isData(data: unknown): data is ConnectionTimeData {
  return typeof data === 'object' && data !== null && (data as { v?: unknown }).v === 1;
}

const fireOnceData = (st: ConnectionTimeState, guard: Guard): FireOnceData => ({ windowStart: guardWindow(st, guard), fired: guardFired(st, guard) });

/** What `name` and value(fireOnceData(st, guard)) write. */
function writeFireOnce(out: StateWriter, name: Field, st: ConnectionTimeState, guard: Guard): void {
  out.field(name);
  out.object(2);
  out.field(F.windowStart);
  out.value(guardWindow(st, guard));
  out.field(F.fired);
  out.value(guardFired(st, guard));
}

/** Open call `i` as a record entry. */
const openCallData = (st: ConnectionTimeState, i: number, callId: string): OpenCallData => ({ callId, answeredAt: answeredAt(st, i), answerEventId: answerEventId(st, i), longChecked: longChecked(st, i) });

/** Where the open calls' ids start in the strings tail (after the ended ids and the evidence ids). */
const openIdsAt = (st: ConnectionTimeState): number => intAt(st, ENDED) + intAt(st, EVIDENCE);

export const connectionTimeCodec: StateCodec<ConnectionTimeState> = {
  encode: (st): ConnectionTimeData => ({
    v: 1,
    open: Array.from({ length: openCount(st) }, (_, i) => openCallData(st, i, tailString(st, openIdsAt(st) + i, ''))),
    recentlyEnded: tailStrings(st, 0, intAt(st, ENDED)),
    longCall: fireOnceData(st, LONG_CALL_GUARD),
    concurrent: fireOnceData(st, CONCURRENT_GUARD),
    daily: { windowStart: headAt(st, DAY_WINDOW), closedMs: headAt(st, DAY_CLOSED_MS), fired: intAt(st, DAY_FIRED) !== 0 },
    endedEvidence: evidenceToData(st),
    wakeAt: headAt(st, WAKE_AT),
  }),
  write(st, out) {
    out.object(8);
    out.field(F.v);
    out.number(1);
    out.field(F.open);
    const open = openCount(st);
    const ids = openIdsAt(st);
    out.array(open);
    for (let i = 0; i < open; i++) {
      out.object(4);
      out.field(F.callId);
      out.value(tailString(st, ids + i, ''));
      out.field(F.answeredAt);
      out.value(answeredAt(st, i));
      out.field(F.answerEventId);
      out.value(answerEventId(st, i));
      out.field(F.longChecked);
      out.value(longChecked(st, i));
    }
    out.field(F.recentlyEnded);
    writeTailStrings(out, st, 0, intAt(st, ENDED));
    writeFireOnce(out, F.longCall, st, LONG_CALL_GUARD);
    writeFireOnce(out, F.concurrent, st, CONCURRENT_GUARD);
    out.field(F.daily);
    out.object(3);
    out.field(F.windowStart);
    out.value(headAt(st, DAY_WINDOW));
    out.field(F.closedMs);
    out.value(headAt(st, DAY_CLOSED_MS));
    out.field(F.fired);
    out.value(intAt(st, DAY_FIRED) !== 0);
    out.field(F.endedEvidence);
    writeEvidence(out, st);
    out.field(F.wakeAt);
    out.value(headAt(st, WAKE_AT));
  },
  decode(data) {
    if (!isData(data)) throw new TypeError('connection_time: not a version 1 state record');
    // The live state never holds more than the caps; a record that does was not written by this detector.
    if (data.open.length > MAX_OPEN_CALLS || data.recentlyEnded.length > RECENTLY_ENDED_CAP) throw new RangeError('connection_time: more open or ended calls than the caps allow');
    const evidence = evidenceFromData(data.endedEvidence);
    const st = createState();
    setHead(st, WAKE_AT, data.wakeAt);
    setHead(st, LONG_CALL_GUARD.window, data.longCall.windowStart);
    setInt(st, LONG_CALL_GUARD.fired, data.longCall.fired ? 1 : 0);
    setHead(st, CONCURRENT_GUARD.window, data.concurrent.windowStart);
    setInt(st, CONCURRENT_GUARD.fired, data.concurrent.fired ? 1 : 0);
    setHead(st, DAY_WINDOW, data.daily.windowStart);
    setHead(st, DAY_CLOSED_MS, data.daily.closedMs);
    setInt(st, DAY_FIRED, data.daily.fired ? 1 : 0);
    setInt(st, ENDED, data.recentlyEnded.length);
    setInt(st, EVIDENCE, evidence.ids.length);
    setInt(st, OPEN, data.open.length);
    setTailStrings(st, joinStrings([data.recentlyEnded, evidence.ids, data.open.map((c) => c.callId), data.open.map((c) => c.answerEventId)]));
    setTailNumbers(st, joinNumbers([evidence.times, data.open.map((c) => c.answeredAt), data.open.map((c) => (c.longChecked ? 1 : 0))]));
    return st;
  },
};
