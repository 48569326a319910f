import type { MessageEvent } from '../../events/types';
import type { RuleConfig } from '../../policy/types';
import type { DetectorContext, Finding } from '../types';
import { idList } from '../../engine/compact-evidence';
import { concatFindings, NO_FINDINGS } from '../finding';
import { bulkFinding } from './findings';
import { BULK_MESSAGING_RULES, TEMPLATE_RULES, type TemplateRule } from './rules';
import type { BulkMessagingState } from './state';
import { TemplateTable, type Template } from './template-table';

/**
 * same_content_recipients: one content hash to more than `threshold` distinct
 * recipients in a window.
 * template_campaign_recipients: the distinct recipients of the account's
 * repeated templates (each sent to at least minTemplateRecipients), added up
 * over at least minTemplates of them, so rotating a few templates does not
 * dodge the same-content limit.
 */
const CAMPAIGN = BULK_MESSAGING_RULES.template_campaign_recipients.params;

type Recorded = ReturnType<TemplateTable['record']>;

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
  let sameTable: TemplateTable | undefined;
  let sameOutcome: Recorded;
  if (sameConfig) {
    sameTable = tableFor(state, sameConfig.windowMs);
    if (sameTable) {
      sameOutcome = sameTable.record(content, recipient, event.eventId, event.eventTime);
      const template = outcomeTemplate(sameOutcome, sameRule, ctx);
      const found = template && sameContent(sameTable, template, event, sameConfig);
      if (found) findings = [found];
    }
  }
  if (campaignConfig) {
    const table = tableFor(state, campaignConfig.windowMs);
    if (table) {
      const outcome = table === sameTable ? sameOutcome : table.record(content, recipient, event.eventId, event.eventTime);
      const template = outcomeTemplate(outcome, campaignRule, ctx);
      const found = template && campaign(table, template, event, campaignConfig);
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

/**
 * One table per window length in use (`first` and `second`: the template
 * rules' windows, undefined for a rule that is off); a table no rule reads
 * any more (policy reload) is dropped. Tables keep their order, as the list
 * they stand for: `table` first, `otherTable` second.
 */
function syncTables(state: BulkMessagingState, first: number | undefined, second: number | undefined): void {
  if (state.otherTable && !inUse(state.otherTable.sizeMs, first, second)) state.otherTable = undefined;
  if (state.table && !inUse(state.table.sizeMs, first, second)) {
    state.table = state.otherTable;
    state.otherTable = undefined;
  }
  if (first !== undefined) addTable(state, first);
  if (second !== undefined) addTable(state, second);
}

const inUse = (sizeMs: number, first: number | undefined, second: number | undefined): boolean => sizeMs === first || sizeMs === second;

function addTable(state: BulkMessagingState, windowMs: number): void {
  if (tableFor(state, windowMs)) return;
  // Two template rules give at most two window lengths: a third table is never needed.
  if (!state.table) state.table = new TemplateTable(windowMs);
  else state.otherTable = new TemplateTable(windowMs);
}

function tableFor(state: BulkMessagingState, windowMs: number): TemplateTable | undefined {
  if (state.table?.sizeMs === windowMs) return state.table;
  if (state.otherTable?.sizeMs === windowMs) return state.otherTable;
  return undefined;
}

function sameContent(table: TemplateTable, template: Template, event: MessageEvent, config: Readonly<RuleConfig>): Finding | undefined {
  const rule: TemplateRule = 'same_content_recipients';
  const recipients = template.recipients.size;
  if (table.hasFired(rule) || recipients <= config.threshold) return undefined;
  table.markFired(rule);
  return bulkFinding(event, rule, config, table.windowStart, { recipients }, { recipients: config.threshold }, idList(template.evidence));
}

function campaign(table: TemplateTable, template: Template, event: MessageEvent, config: Readonly<RuleConfig>): Finding | undefined {
  const rule: TemplateRule = 'template_campaign_recipients';
  const minRecipients = config.params.minTemplateRecipients ?? CAMPAIGN.minTemplateRecipients;
  const minTemplates = config.params.minTemplates ?? CAMPAIGN.minTemplates;
  if (template.recipients.size < minRecipients) return undefined;
  table.addCampaignEvidence(event.eventId);
  if (table.hasFired(rule)) return undefined;
  const { recipients, templates } = table.campaign(minRecipients);
  if (templates < minTemplates || recipients <= config.threshold) return undefined;
  table.markFired(rule);
  return bulkFinding(event, rule, config, table.windowStart, { recipients, templates }, { recipients: config.threshold }, table.campaignEvidenceIds());
}
