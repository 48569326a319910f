import type { EvidenceRingData } from '../../engine/evidence-ring';
import { fields, type Field, type StateWriter } from '../../engine/state-writer';
import type { StateCodec } from '../types';
import { EvidenceLog, NONE } from './evidence-log';
import { NEVER_FIRED, NO_DAY, NO_OPEN_CALLS, type ConnectionTimeState, type DailyTotal, type FireOnce } from './state';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('longCall', 'concurrent', 'windowStart', 'fired', 'v', 'open', 'callId', 'answeredAt', 'answerEventId', 'longChecked', 'recentlyEnded', 'daily', 'closedMs', 'endedEvidence', 'wakeAt');

/**
 * The state of one account as plain data, for the changelog. Open calls
 * become a list in answer order (the order the Map keeps, which
 * concurrent_calls' evidence follows). `wakeAt` is kept: it is the timer the
 * live state is waiting for, which onRestore asks for again (timers are not
 * in the snapshot). Every array and object is a copy both ways: the live
 * state keeps changing after a snapshot, and one record may be decoded twice.
 * The shared read-only parts of a state (no call up, a rule that never fired,
 * no day counted, no call ended) are written as their values and read back
 * as the shared parts again, so a restored account costs no more than the
 * live one. The record is the one version 1 always wrote: only the live
 * layout changed.
 */
interface OpenCallData {
  callId: string;
  answeredAt: number;
  answerEventId: string;
  longChecked: boolean;
}

export interface ConnectionTimeData {
  /** Format version: bumped when the shape changes, so an old record is refused rather than misread. */
  v: 1;
  open: OpenCallData[];
  recentlyEnded: string[];
  longCall: FireOnce;
  concurrent: FireOnce;
  daily: DailyTotal;
  endedEvidence: EvidenceRingData;
  wakeAt: number;
}

function isData(data: unknown): data is ConnectionTimeData {
  return typeof data === 'object' && data !== null && (data as { v?: unknown }).v === 1;
}

const decodeFireOnce = (f: FireOnce): FireOnce => (f.windowStart === NEVER_FIRED.windowStart && f.fired === NEVER_FIRED.fired ? NEVER_FIRED : { windowStart: f.windowStart, fired: f.fired });

const decodeDaily = (d: DailyTotal): DailyTotal =>
  d.windowStart === NO_DAY.windowStart && d.closedMs === NO_DAY.closedMs && d.fired === NO_DAY.fired ? NO_DAY : { windowStart: d.windowStart, closedMs: d.closedMs, fired: d.fired };

/** What `name` and value({ windowStart, fired }) of `f` write. */
function writeFireOnce(out: StateWriter, name: Field, f: FireOnce): void {
  out.field(name);
  out.object(2);
  out.field(F.windowStart);
  out.value(f.windowStart);
  out.field(F.fired);
  out.value(f.fired);
}

export const connectionTimeCodec: StateCodec<ConnectionTimeState> = {
  encode: (s): ConnectionTimeData => ({
    v: 1,
    open: [...s.open].map(([callId, c]) => ({ callId, answeredAt: c.answeredAt, answerEventId: c.answerEventId, longChecked: c.longChecked })),
    recentlyEnded: s.recentlyEnded.slice(),
    longCall: { windowStart: s.longCall.windowStart, fired: s.longCall.fired },
    concurrent: { windowStart: s.concurrent.windowStart, fired: s.concurrent.fired },
    daily: { windowStart: s.daily.windowStart, closedMs: s.daily.closedMs, fired: s.daily.fired },
    endedEvidence: s.endedEvidence.toData(),
    wakeAt: s.wakeAt,
  }),
  write(s, out) {
    out.object(8);
    out.field(F.v);
    out.number(1);
    out.field(F.open);
    out.array(s.open.size);
    for (const [callId, c] of s.open) {
      out.object(4);
      out.field(F.callId);
      out.value(callId);
      out.field(F.answeredAt);
      out.value(c.answeredAt);
      out.field(F.answerEventId);
      out.value(c.answerEventId);
      out.field(F.longChecked);
      out.value(c.longChecked);
    }
    out.field(F.recentlyEnded);
    out.value(s.recentlyEnded);
    writeFireOnce(out, F.longCall, s.longCall);
    writeFireOnce(out, F.concurrent, s.concurrent);
    out.field(F.daily);
    out.object(3);
    out.field(F.windowStart);
    out.value(s.daily.windowStart);
    out.field(F.closedMs);
    out.value(s.daily.closedMs);
    out.field(F.fired);
    out.value(s.daily.fired);
    out.field(F.endedEvidence);
    s.endedEvidence.writeData(out);
    out.field(F.wakeAt);
    out.value(s.wakeAt);
  },
  decode(data) {
    if (!isData(data)) throw new TypeError('connection_time: not a version 1 state record');
    return {
      open: data.open.length === 0 ? NO_OPEN_CALLS : new Map(data.open.map((c) => [c.callId, { answeredAt: c.answeredAt, answerEventId: c.answerEventId, longChecked: c.longChecked }])),
      recentlyEnded: data.recentlyEnded.length === 0 ? NONE : data.recentlyEnded.slice(),
      longCall: decodeFireOnce(data.longCall),
      concurrent: decodeFireOnce(data.concurrent),
      daily: decodeDaily(data.daily),
      endedEvidence: EvidenceLog.fromData(data.endedEvidence),
      wakeAt: data.wakeAt,
    };
  },
};
