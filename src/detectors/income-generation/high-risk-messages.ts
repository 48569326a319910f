import { EvidenceRing } from '../../engine/evidence-ring';
import { countEvent, newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import type { MessageEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { incomeFinding } from './finding';
import { highRiskOf, type HighRiskHolder } from './high-risk-state';
import { EVIDENCE_SAMPLE } from './rules';
import { NO_FINDINGS } from '../finding';

/** high_risk_messages: messages (one per recipient) to high-risk numbers per window: premium SMS and SMS pumping. */
const RULE = 'high_risk_messages';

export interface HighRiskMessagesState {
  counter: TumblingCounter;
  evidence: EvidenceRing;
}

export function newHighRiskMessages(): HighRiskMessagesState {
  return { counter: newCounter(), evidence: new EvidenceRing(EVIDENCE_SAMPLE) };
}

/** `event` is a message to a high-risk, not allow-listed number. */
export function onHighRiskMessage(account: HighRiskHolder, event: MessageEvent, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return NO_FINDINGS;
  const state = (highRiskOf(account).messages ??= newHighRiskMessages());
  const { counter } = state;
  if (countEvent(counter, event.eventTime, config.windowMs) === 'late') {
    ctx.late(RULE);
    return NO_FINDINGS;
  }
  state.evidence.push(event.eventId, event.eventTime);
  if (counter.fired || counter.count <= config.threshold) return NO_FINDINGS;
  counter.fired = true;
  return [
    incomeFinding(event, RULE, config, counter.windowStart, { highRiskMessages: counter.count }, { highRiskMessages: config.threshold }, state.evidence.since(counter.windowStart)),
  ];
}
