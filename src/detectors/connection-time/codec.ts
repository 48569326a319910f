import { EvidenceRing, type EvidenceRingData } from '../../engine/evidence-ring';
import type { StateCodec } from '../types';
import type { ConnectionTimeState, DailyTotal, FireOnce } from './state';

/**
 * The state of one account as plain data, for the changelog. Open calls
 * become a list in answer order (the order the Map keeps, which
 * concurrent_calls' evidence follows). `wakeAt` is kept: it is the timer the
 * live state is waiting for, which onRestore asks for again (timers are not
 * in the snapshot). Every array and object is a copy both ways: the live
 * state keeps changing after a snapshot, and one record may be decoded twice.
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

export const connectionTimeCodec: StateCodec<ConnectionTimeState> = {
  encode: (s): ConnectionTimeData => ({
    v: 1,
    open: [...s.open].map(([callId, c]) => ({ callId, answeredAt: c.answeredAt, answerEventId: c.answerEventId, longChecked: c.longChecked })),
    recentlyEnded: [...s.recentlyEnded],
    longCall: { ...s.longCall },
    concurrent: { ...s.concurrent },
    daily: { ...s.daily },
    endedEvidence: s.endedEvidence.toData(),
    wakeAt: s.wakeAt,
  }),
  decode(data) {
    if (!isData(data)) throw new TypeError('connection_time: not a version 1 state record');
    return {
      open: new Map(data.open.map((c) => [c.callId, { answeredAt: c.answeredAt, answerEventId: c.answerEventId, longChecked: c.longChecked }])),
      recentlyEnded: [...data.recentlyEnded],
      longCall: { ...data.longCall },
      concurrent: { ...data.concurrent },
      daily: { ...data.daily },
      endedEvidence: EvidenceRing.fromData(data.endedEvidence),
      wakeAt: data.wakeAt,
    };
  },
};
