import { EvidenceRing, type EvidenceRingData } from '../../engine/evidence-ring';
import type { TumblingCounter } from '../../engine/tumbling-counter';
import type { StateCodec } from '../types';
import type { NumberHarvestingState } from './state';
import type { SweepState } from './outcome-sweeps';
import type { OutcomeWindow } from './outcome-window';
import type { RecentCallees } from './recent-callees';

/**
 * NumberHarvestingState as plain data for the changelog. Only the evidence
 * rings are classes; everything else is copied, never shared, because the
 * live state keeps changing after a snapshot is taken. The last callee is
 * written as null when there is none: plain data has no undefined.
 */
interface RecentCalleesData {
  numbers: number[];
  times: number[];
  last: number | null;
  lastTime: number;
}

interface SweepData {
  window: OutcomeWindow;
  evidence: EvidenceRingData;
}

export interface NumberHarvestingData {
  sequential: { recent: RecentCalleesData; counter: TumblingCounter; evidence: EvidenceRingData };
  outcomes: { unanswered: SweepData; short: SweepData };
}

const copyCounter = (c: TumblingCounter): TumblingCounter => ({ windowStart: c.windowStart, count: c.count, fired: c.fired });
const copyWindow = (w: OutcomeWindow): OutcomeWindow => ({ windowStart: w.windowStart, ended: w.ended, matched: w.matched, callees: [...w.callees], fired: w.fired });
const encodeSweep = (s: SweepState): SweepData => ({ window: copyWindow(s.window), evidence: s.evidence.toData() });
const decodeSweep = (d: SweepData): SweepState => ({ window: copyWindow(d.window), evidence: EvidenceRing.fromData(d.evidence) });

function encodeRecent(r: RecentCallees): RecentCalleesData {
  return { numbers: [...r.numbers], times: [...r.times], last: r.last ?? null, lastTime: r.lastTime };
}

function decodeRecent(d: RecentCalleesData): RecentCallees {
  return { numbers: [...d.numbers], times: [...d.times], last: d.last ?? undefined, lastTime: d.lastTime };
}

export const numberHarvestingCodec: StateCodec<NumberHarvestingState> = {
  encode(state): NumberHarvestingData {
    const { recent, counter, evidence } = state.sequential;
    return {
      sequential: { recent: encodeRecent(recent), counter: copyCounter(counter), evidence: evidence.toData() },
      outcomes: { unanswered: encodeSweep(state.outcomes.unanswered), short: encodeSweep(state.outcomes.short) },
    };
  },
  decode(raw) {
    // Only encode() above writes these records; the changelog carries them unchanged.
    const data = raw as NumberHarvestingData;
    const { recent, counter, evidence } = data.sequential;
    return {
      sequential: { recent: decodeRecent(recent), counter: copyCounter(counter), evidence: EvidenceRing.fromData(evidence) },
      outcomes: { unanswered: decodeSweep(data.outcomes.unanswered), short: decodeSweep(data.outcomes.short) },
    };
  },
};
