import type { MessageEvent } from '../../events/types';
import type { RuleConfig } from '../../policy/types';
import type { DetectorContext, Finding } from '../types';
import { idList } from '../../engine/compact-evidence';
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

export function templateFindings(state: BulkMessagingState, event: MessageEvent, content: number, recipient: number, ctx: DetectorContext): readonly Finding[] {
  const enabled = TEMPLATE_RULES.flatMap((rule) => {
    const config = ctx.rule(rule);
    return config ? [{ rule, config }] : [];
  });
  syncTables(state, enabled.map((e) => e.config.windowMs));
  // Both rules share one table when their windows agree: record the delivery once per table.
  const recorded = new Map<TemplateTable, Recorded>();
  const findings: Finding[] = [];
  for (const { rule, config } of enabled) {
    const table = tableFor(state, config.windowMs);
    if (!table) continue;
    const outcome = recorded.has(table) ? recorded.get(table) : table.record(content, recipient, event.eventId, event.eventTime);
    recorded.set(table, outcome);
    if (outcome === 'late') {
      ctx.late(rule);
      continue;
    }
    if (outcome === undefined) continue;
    const found = rule === 'same_content_recipients' ? sameContent(table, outcome, event, config) : campaign(table, outcome, event, config);
    if (found) findings.push(found);
  }
  return findings;
}

/**
 * One table per window length in use; a table no rule reads any more (policy
 * reload) is dropped. Tables keep their order, as the list they stand for:
 * `table` first, `otherTable` second.
 */
function syncTables(state: BulkMessagingState, windows: number[]): void {
  if (state.otherTable && !windows.includes(state.otherTable.sizeMs)) state.otherTable = undefined;
  if (state.table && !windows.includes(state.table.sizeMs)) {
    state.table = state.otherTable;
    state.otherTable = undefined;
  }
  for (const w of windows) {
    if (tableFor(state, w)) continue;
    // Two template rules give at most two window lengths: a third table is never needed.
    if (!state.table) state.table = new TemplateTable(w);
    else state.otherTable = new TemplateTable(w);
  }
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
