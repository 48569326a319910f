import { countEvent } from '../../engine/tumbling-counter';
import type { MessageEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { bulkFinding } from './findings';
import type { BulkMessagingState } from './state';

/**
 * new_recipient_fanout: recipients the account has never messaged before,
 * per window. "Never before" is approximate: the history holds the last
 * CONTACT_HISTORY_CAP distinct numbers as 32-bit hashes, and lives as long as
 * the account's state (the longest window after its last event). So a number
 * that fell out of the history, or was messaged before a long silence, counts
 * as new again (more new recipients: why the threshold sits well above what a
 * person or a small business reaches even from an empty history), and a hash
 * collision makes a new number look known (fewer: negligible).
 */
const RULE = 'new_recipient_fanout';

export function fanoutFindings(state: BulkMessagingState, event: MessageEvent, recipient: number, ctx: DetectorContext): Finding[] {
  const config = ctx.rule(RULE);
  if (!config || !state.contacted.add(recipient)) return [];
  const counter = state.newRecipients;
  if (countEvent(counter, event.eventTime, config.windowMs) === 'late') {
    ctx.late(RULE);
    return [];
  }
  state.fanoutEvidence.push(event.eventId, event.eventTime);
  if (counter.fired || counter.count <= config.threshold) return [];
  counter.fired = true;
  return [bulkFinding(event, RULE, config, counter.windowStart, { newRecipients: counter.count }, { newRecipients: config.threshold }, state.fanoutEvidence.since(counter.windowStart))];
}
