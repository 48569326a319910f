import { EvidenceRing } from '../../engine/evidence-ring';
import { newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import { PERSONAL_DATA_EVIDENCE } from './rules';

/** One scan's window counter, with the evidence of the messages it counted. */
export interface PersonalDataRuleState extends TumblingCounter {
  evidence: EvidenceRing;
}

export interface PersonalDataState {
  /**
   * Per scan, in the detector's scan order: absent until the scan first finds
   * something in one of the account's messages. Most accounts never send a
   * card number, an identity number or a credential, so most states hold only
   * NO_RULES, one array shared by all of them. The array is replaced when a
   * scan's state is created (at most once per scan and account), never
   * written in place (NO_RULES is frozen: a stray write throws). A state
   * created on first need starts as an eager one that had counted nothing
   * would be, so the findings are the same.
   */
  counters: readonly (PersonalDataRuleState | undefined)[];
}

/** The counters of a state in which no scan has found anything yet. */
export const NO_RULES: readonly (PersonalDataRuleState | undefined)[] = Object.freeze([]);

export const newRuleState = (): PersonalDataRuleState => ({ ...newCounter(), evidence: new EvidenceRing(PERSONAL_DATA_EVIDENCE) });
