import { EvidenceRing, type EvidenceRingData } from '../../engine/evidence-ring';
import type { StateCodec } from '../types';
import type { ConnectedTimeState } from './connected-time';
import type { HighRiskMessagesState } from './high-risk-messages';
import type { HighRiskState } from './high-risk-state';
import type { IncomeGenerationState } from './index';
import type { RepeatCallsState } from './repeat-calls';

/**
 * The account's state as plain data for the changelog: each part that exists,
 * by name, with each EvidenceRing as its EvidenceRingData; a part absent from
 * the record was never created and stays absent. Every field is copied by
 * name, and every array and nested object is copied, so a field added to a
 * state without being added here fails the type check, and the live state
 * (which keeps changing after a snapshot, some arrays in place) never shares
 * an object with the record (EvidenceRing's toData and fromData copy the
 * ring's arrays themselves).
 */
type WithRingData<S extends { evidence: EvidenceRing }> = Omit<S, 'evidence'> & { evidence: EvidenceRingData };

export interface IncomeGenerationData {
  /** RangeHistory's fields, as they are. */
  ranges?: number[];
  rangeEvidence?: string | string[];
  repeatCalls?: WithRingData<RepeatCallsState>;
  connected?: WithRingData<ConnectedTimeState>;
  messages?: WithRingData<HighRiskMessagesState>;
}

/** A lone id is a string, immutable; an array is written in place, so it is copied. */
const copyEvidence = (e: string | string[]): string | string[] => (typeof e === 'string' ? e : e.slice());

const repeatCalls = {
  encode: (rc: RepeatCallsState): WithRingData<RepeatCallsState> => ({
    windowStart: rc.windowStart,
    numbers: rc.numbers.map((n) => ({ number: n.number, calls: n.calls })),
    calls: rc.calls,
    fired: rc.fired,
    evidence: rc.evidence.toData(),
  }),
  decode: (rc: WithRingData<RepeatCallsState>): RepeatCallsState => ({
    windowStart: rc.windowStart,
    numbers: rc.numbers.map((n) => ({ number: n.number, calls: n.calls })),
    calls: rc.calls,
    fired: rc.fired,
    evidence: EvidenceRing.fromData(rc.evidence),
  }),
};

const connected = {
  encode: (ct: ConnectedTimeState): WithRingData<ConnectedTimeState> => ({ windowStart: ct.windowStart, connectedMs: ct.connectedMs, calls: ct.calls, fired: ct.fired, evidence: ct.evidence.toData() }),
  decode: (ct: WithRingData<ConnectedTimeState>): ConnectedTimeState => ({ windowStart: ct.windowStart, connectedMs: ct.connectedMs, calls: ct.calls, fired: ct.fired, evidence: EvidenceRing.fromData(ct.evidence) }),
};

const messages = {
  encode: (hm: HighRiskMessagesState): WithRingData<HighRiskMessagesState> => ({ counter: { windowStart: hm.counter.windowStart, count: hm.counter.count, fired: hm.counter.fired }, evidence: hm.evidence.toData() }),
  decode: (hm: WithRingData<HighRiskMessagesState>): HighRiskMessagesState => ({ counter: { windowStart: hm.counter.windowStart, count: hm.counter.count, fired: hm.counter.fired }, evidence: EvidenceRing.fromData(hm.evidence) }),
};

export const incomeGenerationCodec: StateCodec<IncomeGenerationState> = {
  encode(s): IncomeGenerationData {
    const out: IncomeGenerationData = {};
    if (s.ranges) out.ranges = s.ranges.slice();
    if (s.rangeEvidence !== undefined) out.rangeEvidence = copyEvidence(s.rangeEvidence);
    const h = s.highRisk;
    if (h?.repeatCalls) out.repeatCalls = repeatCalls.encode(h.repeatCalls);
    if (h?.connected) out.connected = connected.encode(h.connected);
    if (h?.messages) out.messages = messages.encode(h.messages);
    return out;
  },

  decode(data) {
    // Records only ever come from encode() above; a non-object means a corrupt or foreign record, better refused than half-restored.
    if (typeof data !== 'object' || data === null) throw new Error('income_generation state: expected an object');
    const d = data as IncomeGenerationData;
    const highRisk: HighRiskState | undefined =
      d.repeatCalls || d.connected || d.messages
        ? {
            repeatCalls: d.repeatCalls && repeatCalls.decode(d.repeatCalls),
            connected: d.connected && connected.decode(d.connected),
            messages: d.messages && messages.decode(d.messages),
          }
        : undefined;
    return { ranges: d.ranges?.slice(), rangeEvidence: d.rangeEvidence === undefined ? undefined : copyEvidence(d.rangeEvidence), highRisk };
  },
};
