import type { MessageEvent } from '../../events/types';
import type { RuleConfig } from '../../policy/types';
import type { DetectorContext, Finding } from '../types';
import { idList } from '../../engine/compact-evidence';
import { concatFindings, NO_FINDINGS } from '../finding';
import { bulkFinding } from './findings';
import { BULK_MESSAGING_RULES, TEMPLATE_RULES, type TemplateRule } from './rules';
import { headAt, type BulkMessagingState, type TablePart, type Template } from './state';
import { addCampaignEvidence, campaign as campaignOf, campaignEvidenceIds, hasFired, markFired, record, syncTables, tableFor } from './template-table';
/**
 * same_content_recipients: one content hash to more than `threshold` distinct
 * recipients in a window.
 * template_campaign_recipients: the distinct recipients of the account's
 * repeated templates (each sent to at least minTemplateRecipients), added up
 * over at least minTemplates of them, so rotating a few templates does not
 * dodge the same-content limit.
 */
const CAMPAIGN = BULK_MESSAGING_RULES.template_campaign_recipients.params;

type Recorded = ReturnType<typeof record>;

const [sameRule, campaignRule] = TEMPLATE_RULES;

/**
 * Both rules in TEMPLATE_RULES order, without a list, a map or a closure per
 * message (this runs on every delivery). Both rules share one table when
 * their windows agree: the delivery is then recorded once, and the second
 * rule reads the first one's outcome.
 */
export function templateFindings(state: BulkMessagingState, event: MessageEvent, content: number, recipient: number, ctx: DetectorContext): readonly Finding[] {
  const sameConfig = ctx.rule(sameRule);
  const campaignConfig = ctx.rule(campaignRule);
  syncTables(state, sameConfig?.windowMs, campaignConfig?.windowMs);
  let findings = NO_FINDINGS;
  let sameTable: TablePart | undefined;
  let sameOutcome: Recorded;
  if (sameConfig) {
    sameTable = tableFor(state, sameConfig.windowMs);
    if (sameTable) {
      sameOutcome = record(state, sameTable, content, recipient, event.eventId, event.eventTime);
      const template = outcomeTemplate(sameOutcome, sameRule, ctx);
      const found = template && sameContent(state, sameTable, template, event, sameConfig);
      if (found) findings = [found];
    }
  }
  if (campaignConfig) {
    const table = tableFor(state, campaignConfig.windowMs);
    if (table) {
      const outcome = table === sameTable ? sameOutcome : record(state, table, content, recipient, event.eventId, event.eventTime);
      const template = outcomeTemplate(outcome, campaignRule, ctx);
      const found = template && campaign(state, table, template, event, campaignConfig);
      if (found) findings = concatFindings(findings, [found]);
    }
  }
  return findings;
}

/** The template a delivery was recorded under, if any; a late delivery is reported against `rule`. */
function outcomeTemplate(outcome: Recorded, rule: TemplateRule, ctx: DetectorContext): Template | undefined {
  if (outcome === 'late') {
    ctx.late(rule);
    return undefined;
  }
  return outcome;
}

function sameContent(st: BulkMessagingState, table: TablePart, template: Template, event: MessageEvent, config: Readonly<RuleConfig>): Finding | undefined {
  const rule: TemplateRule = 'same_content_recipients';
  const recipients = template.recipients.size;
  if (hasFired(st, table, rule) || recipients <= config.threshold) return undefined;
  markFired(st, table, rule);
  return bulkFinding(event, rule, config, headAt(st, table.start), { recipients }, { recipients: config.threshold }, idList(template.evidence));
}

function campaign(st: BulkMessagingState, table: TablePart, template: Template, event: MessageEvent, config: Readonly<RuleConfig>): Finding | undefined {
  const rule: TemplateRule = 'template_campaign_recipients';
  const minRecipients = config.params.minTemplateRecipients ?? CAMPAIGN.minTemplateRecipients;
  const minTemplates = config.params.minTemplates ?? CAMPAIGN.minTemplates;
  if (template.recipients.size < minRecipients) return undefined;
  addCampaignEvidence(st, table, event.eventId);
  if (hasFired(st, table, rule)) return undefined;
  const { recipients, templates } = campaignOf(st, table, minRecipients);
  if (templates < minTemplates || recipients <= config.threshold) return undefined;
  markFired(st, table, rule);
  return bulkFinding(event, rule, config, headAt(st, table.start), { recipients, templates }, { recipients: config.threshold }, campaignEvidenceIds(st, table));
}
