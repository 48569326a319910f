import type { DistinctCounter } from '../../engine/distinct-counter';
import type { TimedEvidence } from '../../engine/compact-evidence';
import type { HashSet32 } from './hash-set32';
import type { RecipientSketch } from './recipient-sketch';
import type { TemplateTable } from './template-table';

/**
 * Per-account state. Every collection is bounded by a constant in rules.ts,
 * and every part is created when the account first needs it: a fresh state
 * is one small object, and an account that sent a few messages holds a few
 * hashes and one evidence id, not tables sized for a campaign. Millions of
 * accounts are live at once, so each part is as small as V8 allows: plain
 * arrays of exactly their contents, counters as fields of this object rather
 * than objects of their own.
 */
export interface BulkMessagingState {
  /**
   * Templates of the current window, one table per distinct window length of
   * the template rules: there are two template rules, so at most two tables,
   * held in two fields (an array would cost more than the usual one table's
   * field). `table` is undefined before the first message; `otherTable`
   * unless a policy gives the two rules different windows.
   */
  table: TemplateTable | undefined;
  otherTable: TemplateTable | undefined;
  /** Numbers the account has messaged (32-bit hashes, the last CONTACT_HISTORY_CAP distinct ones): new_recipient_fanout. */
  contacted: HashSet32 | undefined;
  /** new_recipient_fanout's tumbling counter: window start, new recipients in it, and whether it fired. */
  fanoutStart: number;
  fanoutCount: number;
  fanoutFired: boolean;
  fanoutEvidence: TimedEvidence | undefined;
  /** Recipients the report rate is measured against; absent before the first message. */
  recipients: RecipientSketch | undefined;
  /** Spam/unwanted reports: absent for the many accounts nobody reports. */
  reports: ReportWindow | undefined;
}

/** Distinct spam/unwanted reporters of the window, with the reports' evidence: message_spam_reports. */
export interface ReportWindow {
  reporters: DistinctCounter;
  evidence: TimedEvidence | undefined;
}

export function createBulkMessagingState(): BulkMessagingState {
  return {
    table: undefined,
    otherTable: undefined,
    contacted: undefined,
    fanoutStart: Number.NEGATIVE_INFINITY,
    fanoutCount: 0,
    fanoutFired: false,
    fanoutEvidence: undefined,
    recipients: undefined,
    reports: undefined,
  };
}
