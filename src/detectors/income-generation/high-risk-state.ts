import type { ConnectedTimeState } from './connected-time';
import type { HighRiskMessagesState } from './high-risk-messages';
import type { RepeatCallsState } from './repeat-calls';

/**
 * The state of the three high-risk rules. Most accounts never call or
 * message a high-risk number: for them it stays absent, and it is created
 * rule by rule on the first high-risk event a rule counts. A rule's state
 * created then starts as an eager one that had counted nothing would be, so
 * the findings are the same.
 */
export interface HighRiskState {
  repeatCalls: RepeatCallsState | undefined;
  connected: ConnectedTimeState | undefined;
  messages: HighRiskMessagesState | undefined;
}

export interface HighRiskHolder {
  highRisk: HighRiskState | undefined;
}

export function highRiskOf(holder: HighRiskHolder): HighRiskState {
  holder.highRisk ??= { repeatCalls: undefined, connected: undefined, messages: undefined };
  return holder.highRisk;
}
