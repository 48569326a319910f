import { addDistinct, newDistinctCounter } from '../../engine/distinct-counter';
import type { MessageEvent, ReportEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { pushTimed, timedSince } from '../../engine/compact-evidence';
import { bulkFinding } from './findings';
import { addRecipient, recipientsAround } from './recipient-sketch';
import { BULK_MESSAGING_RULES, EVIDENCE_SIZE, REPORTER_CAP } from './rules';
import { rareParts, type BulkMessagingState } from './state';
import { NO_FINDINGS } from '../finding';

/**
 * message_spam_reports: recipients who block or report the account as spam or
 * unwanted, relative to how many it messaged. Both must hold: more than
 * `threshold` distinct reporters (one upset friend reporting repeatedly counts
 * once; a couple of complaints are noise), and a report rate above
 * `reportRatePercent` of the recipients (a business messaging hundreds gets a
 * few complaints without being a spammer). Reports of an account that sent no
 * message in the window or the one before are not about bulk messaging (they
 * may be about calls) and are left to other categories.
 */
const RULE = 'message_spam_reports';
const DEFAULT_RATE = BULK_MESSAGING_RULES.message_spam_reports.params.reportRatePercent;

/** Every delivery counts towards the recipients the report rate is measured against. */
export function countRecipient(state: BulkMessagingState, event: MessageEvent, recipient: number, ctx: DetectorContext): void {
  const config = ctx.rule(RULE);
  if (!config) return;
  if (addRecipient(state, recipient, event.eventTime, config.windowMs) === 'late') ctx.late(RULE);
}

export function reportFindings(state: BulkMessagingState, event: ReportEvent, ctx: DetectorContext): readonly Finding[] {
  if (event.reason !== 'spam' && event.reason !== 'unwanted') return NO_FINDINGS;
  const config = ctx.rule(RULE);
  if (!config) return NO_FINDINGS;
  const rare = rareParts(state);
  const reports = (rare.reports ??= { reporters: newDistinctCounter(), evidence: undefined });
  const reporters = reports.reporters;
  if (addDistinct(reporters, event.reporterNumber, event.eventTime, config.windowMs, REPORTER_CAP) === 'late') {
    ctx.late(RULE);
    return NO_FINDINGS;
  }
  reports.evidence = pushTimed(reports.evidence, event.eventId, event.eventTime, EVIDENCE_SIZE);
  const count = reporters.values.length;
  if (reporters.fired || count <= config.threshold) return NO_FINDINGS;
  // No message yet in this state's life: nothing sent, so nothing to measure the reports against.
  const recipients = recipientsAround(state, reporters.windowStart, config.windowMs);
  const allowedPercent = config.params.reportRatePercent ?? DEFAULT_RATE;
  if (recipients === 0) return NO_FINDINGS;
  const percent = (100 * count) / recipients;
  if (percent <= allowedPercent) return NO_FINDINGS;
  reporters.fired = true;
  return [
    bulkFinding(
      event,
      RULE,
      config,
      reporters.windowStart,
      { reporters: count, recipients, reportPercent: Math.round(percent * 10) / 10 },
      { reporters: config.threshold, reportPercent: allowedPercent },
      timedSince(reports.evidence, reporters.windowStart),
    ),
  ];
}
