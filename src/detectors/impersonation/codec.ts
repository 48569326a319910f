import type { DistinctCounter } from '../../engine/distinct-counter';
import { EvidenceRing, type EvidenceRingData } from '../../engine/evidence-ring';
import type { TumblingCounter } from '../../engine/tumbling-counter';
import type { StateCodec } from '../types';
import type { ImpersonationState } from './index';
import { IMPERSONATION_EVIDENCE, IMPERSONATION_RULES } from './rules';

/**
 * The changelog form of ImpersonationState: the counters are plain and are
 * copied (the live state keeps changing after a snapshot), the evidence rings
 * become data by rule name. A rule with no saved ring starts with an empty
 * one. decode trusts the shape encode wrote (the record is ours).
 */
export interface ImpersonationData {
  presentedIds: DistinctCounter;
  unattested: TumblingCounter;
  reporters: DistinctCounter;
  evidence: Record<string, EvidenceRingData>;
}

type Rule = keyof typeof IMPERSONATION_RULES;

const copyCounter = (c: TumblingCounter): TumblingCounter => ({ windowStart: c.windowStart, count: c.count, fired: c.fired });
const copyDistinct = (d: DistinctCounter): DistinctCounter => ({ windowStart: d.windowStart, values: [...d.values], fired: d.fired });

export const impersonationCodec: StateCodec<ImpersonationState> = {
  encode: (s): ImpersonationData => {
    const evidence: Record<string, EvidenceRingData> = {};
    for (const [rule, ring] of Object.entries(s.evidence)) evidence[rule] = ring.toData();
    return { presentedIds: copyDistinct(s.presentedIds), unattested: copyCounter(s.unattested), reporters: copyDistinct(s.reporters), evidence };
  },
  decode: (data) => {
    const d = data as ImpersonationData;
    const ring = (rule: Rule): EvidenceRing => {
      const saved = d.evidence[rule];
      return saved ? EvidenceRing.fromData(saved) : new EvidenceRing(IMPERSONATION_EVIDENCE);
    };
    return {
      presentedIds: copyDistinct(d.presentedIds),
      unattested: copyCounter(d.unattested),
      reporters: copyDistinct(d.reporters),
      evidence: { caller_id_rotation: ring('caller_id_rotation'), unattested_calls: ring('unattested_calls'), impersonation_reports: ring('impersonation_reports') },
    };
  },
};
