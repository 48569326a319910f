import { EvidenceRing, type EvidenceRingData } from '../../engine/evidence-ring';
import type { StateCodec } from '../types';
import type { ConnectedTimeState } from './connected-time';
import type { HighRiskMessagesState } from './high-risk-messages';
import type { IncomeGenerationState } from './index';
import type { RangeHistory } from './new-range-surge';
import type { RepeatCallsState } from './repeat-calls';

/**
 * The account's state as plain data for the changelog: the same shape with
 * each EvidenceRing as its EvidenceRingData. Every field is copied by name,
 * and every array and nested object is copied, so a field added to a state
 * without being added here fails the type check, and the live state (which
 * keeps changing after a snapshot) never shares an object with the record
 * (EvidenceRing's toData and fromData copy the ring's arrays themselves).
 */
type RangeEntry = RangeHistory['entries'][number];

export interface IncomeGenerationData {
  repeatCalls: Omit<RepeatCallsState, 'evidence'> & { evidence: EvidenceRingData };
  connected: Omit<ConnectedTimeState, 'evidence'> & { evidence: EvidenceRingData };
  messages: Omit<HighRiskMessagesState, 'evidence'> & { evidence: EvidenceRingData };
  ranges: RangeHistory;
}

const copyEntry = (e: RangeEntry): RangeEntry => ({
  range: e.range,
  calls: e.calls,
  lastSeen: e.lastSeen,
  windowStart: e.windowStart,
  windowCalls: e.windowCalls,
  evidence: [...e.evidence],
});

const copyRanges = (r: RangeHistory): RangeHistory => ({ entries: r.entries.map(copyEntry), windowStart: r.windowStart, firedWindow: r.firedWindow });

export const incomeGenerationCodec: StateCodec<IncomeGenerationState> = {
  encode(s): IncomeGenerationData {
    const { repeatCalls: rc, connected: ct, messages: hm } = s;
    return {
      repeatCalls: { windowStart: rc.windowStart, numbers: rc.numbers.map((n) => ({ number: n.number, calls: n.calls })), calls: rc.calls, fired: rc.fired, evidence: rc.evidence.toData() },
      connected: { windowStart: ct.windowStart, connectedMs: ct.connectedMs, calls: ct.calls, fired: ct.fired, evidence: ct.evidence.toData() },
      messages: { counter: { windowStart: hm.counter.windowStart, count: hm.counter.count, fired: hm.counter.fired }, evidence: hm.evidence.toData() },
      ranges: copyRanges(s.ranges),
    };
  },

  decode(data) {
    // Records only ever come from encode() above; a non-object means a corrupt or foreign record, better refused than half-restored.
    if (typeof data !== 'object' || data === null) throw new Error('income_generation state: expected an object');
    const { repeatCalls: rc, connected: ct, messages: hm, ranges } = data as IncomeGenerationData;
    return {
      repeatCalls: {
        windowStart: rc.windowStart,
        numbers: rc.numbers.map((n) => ({ number: n.number, calls: n.calls })),
        calls: rc.calls,
        fired: rc.fired,
        evidence: EvidenceRing.fromData(rc.evidence),
      },
      connected: { windowStart: ct.windowStart, connectedMs: ct.connectedMs, calls: ct.calls, fired: ct.fired, evidence: EvidenceRing.fromData(ct.evidence) },
      messages: { counter: { windowStart: hm.counter.windowStart, count: hm.counter.count, fired: hm.counter.fired }, evidence: EvidenceRing.fromData(hm.evidence) },
      ranges: copyRanges(ranges),
    };
  },
};
