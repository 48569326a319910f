import { newDistinctCounter, type DistinctCounter } from '../../engine/distinct-counter';
import { EvidenceRing } from '../../engine/evidence-ring';
import { newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import { HashSet32 } from './hash-set32';
import { newRecipientSketch, type RecipientSketch } from './recipient-sketch';
import { CONTACT_HISTORY_CAP, EVIDENCE_SIZE } from './rules';
import type { TemplateTable } from './template-table';

/**
 * Per-account state, a few kilobytes at most: every collection is bounded by
 * a constant in rules.ts and grows only as the account actually fans out.
 */
export interface BulkMessagingState {
  /** Templates of the current window, one table per distinct window length of the template rules (one unless a policy gives them different windows). */
  tables: TemplateTable[];
  /** Numbers the account has messaged (32-bit hashes, the last CONTACT_HISTORY_CAP distinct ones): new_recipient_fanout. */
  contacted: HashSet32;
  newRecipients: TumblingCounter;
  fanoutEvidence: EvidenceRing;
  /** Distinct spam/unwanted reporters of the window, and the recipients they are measured against: message_spam_reports. */
  reporters: DistinctCounter;
  recipients: RecipientSketch;
  reportEvidence: EvidenceRing;
}

export function createBulkMessagingState(): BulkMessagingState {
  return {
    tables: [],
    contacted: new HashSet32(CONTACT_HISTORY_CAP, 'evict-oldest'),
    newRecipients: newCounter(),
    fanoutEvidence: new EvidenceRing(EVIDENCE_SIZE),
    reporters: newDistinctCounter(),
    recipients: newRecipientSketch(),
    reportEvidence: new EvidenceRing(EVIDENCE_SIZE),
  };
}
