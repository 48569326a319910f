import { copyEvidence, idList, pushId, restoreEvidence } from '../../engine/compact-evidence';
import { exactCopy } from '../../engine/exact-copy';
import { fields, type StateWriter } from '../../engine/state-writer';
import { windowStart } from '../../engine/window';
import { addCandidate, candidatesData, candidatesFromData, clearCandidates, firstRecipient, writeCandidates, type CandidateRingData } from './candidate-ring';
import { HashSet32, type HashSet32Data } from './hash-set32';
import { EVIDENCE_SIZE, TEMPLATE_RECIPIENT_CAP, TEMPLATE_RULES, TRACKED_TEMPLATES, type TemplateRule } from './rules';
import { hasTable, headAt, intAt, rareParts, setHead, setInt, TABLE_1, TABLE_2, tidyRare, type BulkMessagingState, type TablePart, type Template } from './state';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('sizeMs', 'windowStart', 'templates', 'content', 'recipients', 'lastSent', 'evidence', 'candidates', 'campaignEvidence', 'fired', 'same_content_recipients', 'template_campaign_recipients');

/**
 * The account's repeated contents ("templates") of one tumbling window, with
 * the distinct recipients of each: what same_content_recipients (one template
 * to many) and template_campaign_recipients (a few rotating templates that
 * add up) read. A content enters when a second recipient gets it (until then
 * it waits among the table's candidates: candidate-ring.ts). At most
 * TRACKED_TEMPLATES are kept; a new one takes the place of the one with the
 * fewest recipients, the least recently sent among equals, so the heaviest
 * templates stay. A template pushed out and sent again starts over: the
 * counts are lower bounds.
 *
 * A table is a part of the account's row (state.ts: its window, fired bits
 * and candidates), and its templates and campaign evidence are in the row's
 * rare parts: most accounts never send one content twice. Everything here
 * belongs to the current window and goes with it, so the evidence samples
 * need no event times: every id they hold is of this window.
 */

/** A table as plain data (a changelog record), as the detector has always written it. */
export interface TemplateTableData {
  sizeMs: number;
  windowStart: number;
  templates: { content: number; recipients: HashSet32Data; lastSent: number; evidence: string[] | null }[];
  candidates: CandidateRingData;
  campaignEvidence: string[] | null;
  fired: Record<TemplateRule, boolean>;
}

export interface Campaign {
  recipients: number;
  templates: number;
}

const firedBit = (rule: TemplateRule): number => 1 << TEMPLATE_RULES.indexOf(rule);

export const hasFired = (st: BulkMessagingState, part: TablePart, rule: TemplateRule): boolean => (intAt(st, part.fired) & firedBit(rule)) !== 0;

export function markFired(st: BulkMessagingState, part: TablePart, rule: TemplateRule): void {
  setInt(st, part.fired, intAt(st, part.fired) | firedBit(rule));
}

const templatesOf = (st: BulkMessagingState, part: TablePart): Template[] | undefined => st.o?.templates[part.index];

export function addCampaignEvidence(st: BulkMessagingState, part: TablePart, eventId: string): void {
  const campaign = rareParts(st).campaign;
  campaign[part.index] = pushId(campaign[part.index], eventId, EVIDENCE_SIZE);
}

/** The campaign evidence of the table's window, oldest first (a copy). */
export const campaignEvidenceIds = (st: BulkMessagingState, part: TablePart): string[] => idList(st.o?.campaign[part.index]);

/**
 * Records one delivery. Returns the template that gained a distinct
 * recipient by it (undefined when none did), or `late` when the event's
 * window was already replaced.
 */
export function record(st: BulkMessagingState, part: TablePart, content: number, recipient: number, eventId: string, eventTime: number): Template | undefined | 'late' {
  const start = windowStart(eventTime, headAt(st, part.size));
  const current = headAt(st, part.start);
  if (start > current) resetTable(st, part, start);
  else if (start < current) return 'late';
  let template = templateOf(templatesOf(st, part), content);
  if (!template) {
    const first = firstRecipient(st, part, content);
    if (first === undefined) addCandidate(st, part, content, recipient);
    if (first === undefined || first === recipient) return undefined;
    template = admit(st, part, content, first);
  }
  template.lastSent = Math.max(template.lastSent, eventTime);
  if (!template.recipients.add(recipient)) return undefined;
  template.evidence = pushId(template.evidence, eventId, EVIDENCE_SIZE);
  return template;
}

/** The template of `content`, if admitted. A loop, not find() with a closure over `content`: this runs on every delivery. */
function templateOf(templates: readonly Template[] | undefined, content: number): Template | undefined {
  if (templates === undefined) return undefined;
  for (let i = 0; i < templates.length; i++) {
    const t = templates[i] as Template;
    if (t.content === content) return t;
  }
  return undefined;
}

/**
 * Templates sent to at least `minRecipients`, and their distinct recipients
 * together: a recipient of several templates counts once, so a group chat
 * or a class's parents getting several different posts is one audience, while
 * wordings rotated over fresh recipients add up.
 */
export function campaign(st: BulkMessagingState, part: TablePart, minRecipients: number): Campaign {
  const counted = (templatesOf(st, part) ?? []).filter((t) => t.recipients.size >= minRecipients);
  if (counted.length < 2) return { recipients: counted[0]?.recipients.size ?? 0, templates: counted.length };
  const audience = new Set<number>();
  for (const t of counted) t.recipients.forEach((h) => audience.add(h));
  return { recipients: audience.size, templates: counted.length };
}

/** A new window: nothing of the last one stays. */
function resetTable(st: BulkMessagingState, part: TablePart, start: number): void {
  setHead(st, part.start, start);
  setInt(st, part.fired, 0);
  clearCandidates(st, part);
  clearRare(st, part);
}

function clearRare(st: BulkMessagingState, part: TablePart): void {
  const rare = st.o;
  if (rare === undefined) return;
  rare.templates[part.index] = undefined;
  rare.campaign[part.index] = undefined;
  tidyRare(st);
}

/** Starts tracking `content`, whose first recipient was `first`. */
function admit(st: BulkMessagingState, part: TablePart, content: number, first: number): Template {
  const template: Template = { content, recipients: new HashSet32(TEMPLATE_RECIPIENT_CAP, 'saturate'), lastSent: Number.NEGATIVE_INFINITY, evidence: undefined };
  template.recipients.add(first);
  const lists = rareParts(st).templates;
  const templates = lists[part.index] ?? [];
  if (templates.length < TRACKED_TEMPLATES) {
    // concat, not push: exactly as many slots as templates.
    lists[part.index] = templates.concat(template);
    return template;
  }
  let victim = 0;
  templates.forEach((t, i) => {
    const v = templates[victim];
    if (v && (t.recipients.size < v.recipients.size || (t.recipients.size === v.recipients.size && t.lastSent < v.lastSent))) victim = i;
  });
  templates[victim] = template;
  return template;
}

/**
 * One table per window length in use (`first` and `second`: the template
 * rules' windows, undefined for a rule that is off); a table no rule reads
 * any more (policy reload) is dropped. Tables keep their order, as the list
 * they stand for: when the first goes, the second becomes the first.
 */
export function syncTables(st: BulkMessagingState, first: number | undefined, second: number | undefined): void {
  if (hasTable(st, TABLE_2) && !inUse(headAt(st, TABLE_2.size), first, second)) dropTable(st, TABLE_2);
  if (hasTable(st, TABLE_1) && !inUse(headAt(st, TABLE_1.size), first, second)) {
    dropTable(st, TABLE_1);
    if (hasTable(st, TABLE_2)) moveToFirst(st);
  }
  if (first !== undefined) addTable(st, first);
  if (second !== undefined) addTable(st, second);
}

const inUse = (sizeMs: number, first: number | undefined, second: number | undefined): boolean => sizeMs === first || sizeMs === second;

function addTable(st: BulkMessagingState, windowMs: number): void {
  if (tableFor(st, windowMs)) return;
  // Two template rules give at most two window lengths: a third table is never needed.
  setHead(st, hasTable(st, TABLE_1) ? TABLE_2.size : TABLE_1.size, windowMs);
}

/** The table of a window length, if there is one. */
export function tableFor(st: BulkMessagingState, windowMs: number): TablePart | undefined {
  if (headAt(st, TABLE_1.size) === windowMs) return TABLE_1;
  if (headAt(st, TABLE_2.size) === windowMs) return TABLE_2;
  return undefined;
}

/** Takes a table out: its candidates, rare parts and head. */
function dropTable(st: BulkMessagingState, part: TablePart): void {
  clearCandidates(st, part);
  clearRare(st, part);
  freshTableHead(st, part);
}

/** A table's head numbers and cells as a fresh row's: no table (its candidate segment must be gone or moved already). */
function freshTableHead(st: BulkMessagingState, part: TablePart): void {
  setHead(st, part.size, 0);
  setHead(st, part.start, Number.NEGATIVE_INFINITY);
  setInt(st, part.fired, 0);
  setInt(st, part.candidates, 0);
  setInt(st, part.oldest, 0);
}

/** The second table becomes the first, once the first was dropped (its candidates now start where the first's did). */
function moveToFirst(st: BulkMessagingState): void {
  for (const field of ['size', 'start'] as const) setHead(st, TABLE_1[field], headAt(st, TABLE_2[field]));
  for (const field of ['fired', 'candidates', 'oldest'] as const) setInt(st, TABLE_1[field], intAt(st, TABLE_2[field]));
  const rare = st.o;
  if (rare !== undefined) {
    rare.templates = [rare.templates[1], undefined];
    rare.campaign = [rare.campaign[1], undefined];
  }
  freshTableHead(st, TABLE_2);
}

/** The table as its record (copies: the live state keeps changing). */
export function tableData(st: BulkMessagingState, part: TablePart): TemplateTableData {
  return {
    sizeMs: headAt(st, part.size),
    windowStart: headAt(st, part.start),
    // Template order matters: admit() picks the first of equal victims.
    templates: (templatesOf(st, part) ?? []).map((t) => ({ content: t.content, recipients: t.recipients.toData(), lastSent: t.lastSent, evidence: copyEvidence(t.evidence) })),
    candidates: candidatesData(st, part),
    campaignEvidence: copyEvidence(st.o?.campaign[part.index]),
    fired: { same_content_recipients: hasFired(st, part, 'same_content_recipients'), template_campaign_recipients: hasFired(st, part, 'template_campaign_recipients') },
  };
}

/** What value(tableData(st, part)) writes, without the copies (StateWriter). */
export function writeTable(out: StateWriter, st: BulkMessagingState, part: TablePart): void {
  out.object(6);
  out.field(F.sizeMs);
  out.number(headAt(st, part.size));
  out.field(F.windowStart);
  out.number(headAt(st, part.start));
  out.field(F.templates);
  const templates = templatesOf(st, part) ?? [];
  out.array(templates.length);
  for (const t of templates) {
    out.object(4);
    out.field(F.content);
    out.value(t.content);
    out.field(F.recipients);
    t.recipients.writeData(out);
    out.field(F.lastSent);
    out.value(t.lastSent);
    out.field(F.evidence);
    out.value(t.evidence ?? null);
  }
  out.field(F.candidates);
  writeCandidates(out, st, part);
  out.field(F.campaignEvidence);
  out.value(st.o?.campaign[part.index] ?? null);
  out.field(F.fired);
  out.object(2);
  out.field(F.same_content_recipients);
  out.boolean(hasFired(st, part, 'same_content_recipients'));
  out.field(F.template_campaign_recipients);
  out.boolean(hasFired(st, part, 'template_campaign_recipients'));
}

/** Loads a table's record into `part` of a fresh row; returns its candidate pairs, for the row's segment. */
export function tableFromData(st: BulkMessagingState, part: TablePart, data: TemplateTableData): number[] {
  setHead(st, part.size, data.sizeMs);
  setHead(st, part.start, data.windowStart);
  for (const rule of TEMPLATE_RULES) if (data.fired[rule]) markFired(st, part, rule);
  const templates = exactCopy(data.templates).map((t) => ({ content: t.content, recipients: HashSet32.fromData(t.recipients), lastSent: t.lastSent, evidence: restoreEvidence(t.evidence) }));
  const campaignEvidence = restoreEvidence(data.campaignEvidence);
  if (templates.length > 0 || campaignEvidence !== undefined) {
    const rare = rareParts(st);
    rare.templates[part.index] = templates.length === 0 ? undefined : templates;
    rare.campaign[part.index] = campaignEvidence;
  }
  return candidatesFromData(st, part, data.candidates);
}
