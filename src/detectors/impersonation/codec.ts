import type { DistinctCounter } from '../../engine/distinct-counter';
import { EvidenceRing, type EvidenceRingData } from '../../engine/evidence-ring';
import type { TumblingCounter } from '../../engine/tumbling-counter';
import type { StateCodec } from '../types';
import type { CountRuleState, DistinctRuleState, ImpersonationState } from './state';

/**
 * The changelog form of ImpersonationState: each rule's state that exists,
 * by name, its counter copied (the live state keeps changing after a
 * snapshot) and its evidence ring as data. A rule absent from the record
 * never counted anything: it stays absent, as in the live state. decode
 * trusts the shape encode wrote (the record is ours).
 */
type WithEvidence<C> = C & { evidence: EvidenceRingData };

export interface ImpersonationData {
  presentedIds?: WithEvidence<DistinctCounter>;
  unattested?: WithEvidence<TumblingCounter>;
  reporters?: WithEvidence<DistinctCounter>;
}

const encodeDistinct = (d: DistinctRuleState): WithEvidence<DistinctCounter> => ({ windowStart: d.windowStart, values: [...d.values], fired: d.fired, evidence: d.evidence.toData() });
const decodeDistinct = (d: WithEvidence<DistinctCounter>): DistinctRuleState => ({ windowStart: d.windowStart, values: [...d.values], fired: d.fired, evidence: EvidenceRing.fromData(d.evidence) });
const encodeCount = (c: CountRuleState): WithEvidence<TumblingCounter> => ({ windowStart: c.windowStart, count: c.count, fired: c.fired, evidence: c.evidence.toData() });
const decodeCount = (c: WithEvidence<TumblingCounter>): CountRuleState => ({ windowStart: c.windowStart, count: c.count, fired: c.fired, evidence: EvidenceRing.fromData(c.evidence) });

export const impersonationCodec: StateCodec<ImpersonationState> = {
  encode: (s): ImpersonationData => {
    const out: ImpersonationData = {};
    const r = s.rules;
    if (r?.presentedIds) out.presentedIds = encodeDistinct(r.presentedIds);
    if (r?.unattested) out.unattested = encodeCount(r.unattested);
    if (r?.reporters) out.reporters = encodeDistinct(r.reporters);
    return out;
  },
  decode: (data) => {
    const d = data as ImpersonationData;
    if (!d.presentedIds && !d.unattested && !d.reporters) return { rules: undefined };
    return {
      rules: {
        presentedIds: d.presentedIds && decodeDistinct(d.presentedIds),
        unattested: d.unattested && decodeCount(d.unattested),
        reporters: d.reporters && decodeDistinct(d.reporters),
      },
    };
  },
};
