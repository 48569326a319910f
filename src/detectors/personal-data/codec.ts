import { EvidenceRing, type EvidenceRingData } from '../../engine/evidence-ring';
import { newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import type { StateCodec } from '../types';
import type { PersonalDataState } from './index';
import { PERSONAL_DATA_EVIDENCE } from './rules';

/**
 * The changelog form of PersonalDataState: per rule name, its window counter
 * (copied, it is plain) and its evidence ring as data. By name rather than by
 * position, so a record written before a scan was added or reordered still
 * lands on the right rule; a rule with no data starts fresh. decode trusts the
 * shape encode wrote (the record is ours).
 */
export interface PersonalDataRuleData {
  counter: TumblingCounter;
  evidence: EvidenceRingData;
}

export type PersonalDataData = Record<string, PersonalDataRuleData>;

const copyCounter = (c: TumblingCounter): TumblingCounter => ({ windowStart: c.windowStart, count: c.count, fired: c.fired });

/** `rules` in the order the state's arrays follow (the detector's scans). */
export function personalDataCodec(rules: readonly string[]): StateCodec<PersonalDataState> {
  return {
    encode: (s): PersonalDataData => {
      const out: PersonalDataData = {};
      rules.forEach((rule, i) => {
        const counter = s.counters[i];
        const evidence = s.evidence[i];
        if (counter && evidence) out[rule] = { counter: copyCounter(counter), evidence: evidence.toData() };
      });
      return out;
    },
    decode: (data) => {
      const d = data as PersonalDataData;
      const saved = rules.map((rule) => d[rule]);
      return {
        counters: saved.map((r) => (r ? copyCounter(r.counter) : newCounter())),
        evidence: saved.map((r) => (r ? EvidenceRing.fromData(r.evidence) : new EvidenceRing(PERSONAL_DATA_EVIDENCE))),
      };
    },
  };
}
