import { EvidenceRing, type EvidenceRingData } from '../../engine/evidence-ring';
import type { TumblingCounter } from '../../engine/tumbling-counter';
import type { StateCodec } from '../types';
import { NO_RULES, type PersonalDataRuleState, type PersonalDataState } from './state';

/**
 * The changelog form of PersonalDataState: per rule name, its window counter
 * (copied, it is plain) and its evidence ring as data. By name rather than by
 * position, so a record written before a scan was added or reordered still
 * lands on the right rule; a rule with no data starts fresh, which is also
 * how a scan that never found anything is written (not at all: its state was
 * never created). decode trusts the shape encode wrote (the record is ours).
 */
export interface PersonalDataRuleData {
  counter: TumblingCounter;
  evidence: EvidenceRingData;
}

export type PersonalDataData = Record<string, PersonalDataRuleData>;

const copyCounter = (c: TumblingCounter): TumblingCounter => ({ windowStart: c.windowStart, count: c.count, fired: c.fired });

const decodeRule = (r: PersonalDataRuleData): PersonalDataRuleState => ({ ...copyCounter(r.counter), evidence: EvidenceRing.fromData(r.evidence) });

/** `rules` in the order the state's counters follow (the detector's scans). */
export function personalDataCodec(rules: readonly string[]): StateCodec<PersonalDataState> {
  return {
    encode: (s): PersonalDataData => {
      const out: PersonalDataData = {};
      rules.forEach((rule, i) => {
        const state = s.counters[i];
        if (state) out[rule] = { counter: copyCounter(state), evidence: state.evidence.toData() };
      });
      return out;
    },
    decode: (data) => {
      const d = data as PersonalDataData;
      const saved = rules.map((rule) => d[rule]);
      // No scan with data: the shared empty counters, as createState gives.
      if (saved.every((r) => r === undefined)) return { counters: NO_RULES };
      return { counters: saved.map((r) => (r ? decodeRule(r) : undefined)) };
    },
  };
}
