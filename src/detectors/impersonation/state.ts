import { newDistinctCounter, type DistinctCounter } from '../../engine/distinct-counter';
import { EvidenceRing } from '../../engine/evidence-ring';
import { newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import { IMPERSONATION_EVIDENCE } from './rules';

/** A distinct-values rule's window, with the evidence of the events it counted (its own: one rule's sample never lists another's events). */
export interface DistinctRuleState extends DistinctCounter {
  evidence: EvidenceRing;
}

/** A counting rule's window, with the evidence of the events it counted. */
export interface CountRuleState extends TumblingCounter {
  evidence: EvidenceRing;
}

/** Each rule's state, absent until the rule first counts an event of the account. */
export interface ImpersonationRules {
  presentedIds: DistinctRuleState | undefined;
  unattested: CountRuleState | undefined;
  reporters: DistinctRuleState | undefined;
}

export interface ImpersonationState {
  /**
   * Absent until the account first presents a caller ID other than its own,
   * places a call with attestation C or is reported for impersonation: most
   * accounts never do, and hold nothing else. A rule's state created on first
   * need starts as an eager one that had counted nothing would be, so the
   * findings are the same.
   */
  rules: ImpersonationRules | undefined;
}

export const newDistinctRule = (): DistinctRuleState => ({ ...newDistinctCounter(), evidence: new EvidenceRing(IMPERSONATION_EVIDENCE) });
export const newCountRule = (): CountRuleState => ({ ...newCounter(), evidence: new EvidenceRing(IMPERSONATION_EVIDENCE) });

export function rulesOf(state: ImpersonationState): ImpersonationRules {
  state.rules ??= { presentedIds: undefined, unattested: undefined, reporters: undefined };
  return state.rules;
}
