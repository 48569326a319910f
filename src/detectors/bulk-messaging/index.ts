import { longestWindowMs } from '../../policy/resolve';
import type { Detector } from '../types';
import { bulkMessagingCodec } from './codec';
import { fanoutFindings } from './fanout-rule';
import { hash32 } from './hash32';
import { countRecipient, reportFindings } from './report-rule';
import { BULK_MESSAGING_RULES } from './rules';
import { BULK_MESSAGING_ROWS, createBulkMessagingState, type BulkMessagingState } from './state';
import { templateFindings } from './template-rules';
import { concatFindings, NO_FINDINGS } from '../finding';

/**
 * BULK_MESSAGING: bulk or unwanted messages, solicitations, spam or spim.
 * Message events are one per recipient. Four signals, one rule each:
 * - same_content_recipients: one content to many distinct recipients;
 * - template_campaign_recipients: a few rotating templates whose recipients add up;
 * - new_recipient_fanout: many recipients never messaged before;
 * - message_spam_reports: recipients reporting or blocking it as spam, relative to how many it messaged.
 * Deliveries to allow-listed destinations are not counted at all. Numbers and
 * content hashes are kept as 32-bit hashes and never leave the detector.
 */
const RULE_NAMES = Object.keys(BULK_MESSAGING_RULES);

export const bulkMessaging: Detector<BulkMessagingState> = {
  name: 'bulk_messaging',
  eventTypes: ['message', 'report'],
  defaults: BULK_MESSAGING_RULES,
  keyOf: (event) => event.accountId,
  stateTtlMs: (policy) => longestWindowMs(policy, RULE_NAMES),
  createState: createBulkMessagingState,
  rows: BULK_MESSAGING_ROWS,
  codec: bulkMessagingCodec,
  onEvent(state, event, ctx) {
    if (event.type === 'report') return reportFindings(state, event, ctx);
    if (event.type !== 'message' || ctx.policy.allow.destinations.has(event.to)) return NO_FINDINGS;
    const recipient = hash32(event.to);
    countRecipient(state, event, recipient, ctx);
    return concatFindings(templateFindings(state, event, hash32(event.contentHash), recipient, ctx), fanoutFindings(state, event, recipient, ctx));
  },
};
