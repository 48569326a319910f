import type { RuleDefaults } from '../../policy/types';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/**
 * Defaults, per account; thresholds are the most that is allowed. Why these
 * numbers and which legitimate traffic they were tuned against:
 * docs/rules/bulk-messaging.md.
 * - template_campaign_recipients.params: a template is a content hash sent to
 *   at least `minTemplateRecipients` distinct recipients, and a campaign is at
 *   least `minTemplates` of them (one template alone is same_content_recipients).
 * - message_spam_reports.params: besides more than `threshold` distinct
 *   reporters, the reporters must be more than `reportRatePercent` % of the
 *   recipients, so a high-volume sender is not flagged for a few complaints.
 */
export const BULK_MESSAGING_RULES = {
  same_content_recipients: { mode: 'enforce', threshold: 50, windowMs: DAY, severity: 'medium', action: 'throttle' },
  template_campaign_recipients: {
    mode: 'enforce',
    threshold: 100,
    windowMs: DAY,
    severity: 'high',
    action: 'suspend',
    params: { minTemplateRecipients: 5, minTemplates: 2 },
  },
  new_recipient_fanout: { mode: 'enforce', threshold: 400, windowMs: DAY, severity: 'medium', action: 'throttle' },
  message_spam_reports: { mode: 'enforce', threshold: 3, windowMs: DAY, severity: 'high', action: 'suspend', params: { reportRatePercent: 2 } },
} as const satisfies Record<string, RuleDefaults>;

export type BulkMessagingRule = keyof typeof BULK_MESSAGING_RULES;

/** The two rules that read the per-window table of templates. */
export const TEMPLATE_RULES = ['same_content_recipients', 'template_campaign_recipients'] as const satisfies readonly BulkMessagingRule[];
export type TemplateRule = (typeof TEMPLATE_RULES)[number];

/** Templates (contents sent to two or more recipients) tracked per account and window; the one with the fewest recipients makes room for a new one. */
export const TRACKED_TEMPLATES = 8;

/**
 * Contents sent to one recipient so far, remembered per window (8 bytes each
 * once many, 16 while few: u32-store.ts) so a content that recurs within this
 * many distinct messages becomes a template; one-off messages churn through
 * here, not through the templates.
 */
export const CANDIDATE_CAP = 64;

/**
 * Distinct recipients counted exactly per tracked template; a count saturates
 * here, so same_content_recipients' threshold must stay below it to be reachable.
 */
export const TEMPLATE_RECIPIENT_CAP = 128;

/**
 * Numbers remembered per account as already contacted (4 bytes each once
 * many, 8 while few: u32-store.ts). Above new_recipient_fanout's threshold,
 * so an account is flagged before its history starts to forget the numbers
 * of the same day.
 */
export const CONTACT_HISTORY_CAP = 512;

/** Distinct reporters kept per window; message_spam_reports' threshold must stay below it. */
export const REPORTER_CAP = 64;

/** Bits of the per-window recipient sketch behind the report rate (128 bytes once many are set); a power of two. */
export const RECIPIENT_SKETCH_BITS = 1024;

/** Event ids a finding carries at most. */
export const EVIDENCE_SIZE = 10;
