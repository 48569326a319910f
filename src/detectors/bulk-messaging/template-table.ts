import { windowStart } from '../../engine/window';
import { CandidateRing, type CandidateRingData } from './candidate-ring';
import { copyEvidence, idList, pushId, restoreEvidence, type IdEvidence } from '../../engine/compact-evidence';
import { exactCopy } from '../../engine/exact-copy';
import { fields, type StateWriter } from '../../engine/state-writer';
import { HashSet32, type HashSet32Data } from './hash-set32';
import { CANDIDATE_CAP, EVIDENCE_SIZE, TEMPLATE_RECIPIENT_CAP, TEMPLATE_RULES, TRACKED_TEMPLATES, type TemplateRule } from './rules';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('sizeMs', 'windowStart', 'templates', 'content', 'recipients', 'lastSent', 'evidence', 'candidates', 'campaignEvidence', 'fired', 'same_content_recipients', 'template_campaign_recipients');

/**
 * The account's repeated contents ("templates") of one tumbling window, with
 * the distinct recipients of each: what same_content_recipients (one template
 * to many) and template_campaign_recipients (a few rotating templates that
 * add up) read. A content enters when a second recipient gets it (until then
 * it waits in the candidate ring). At most TRACKED_TEMPLATES are kept; a new
 * one takes the place of the one with the fewest recipients, the least
 * recently sent among equals, so the heaviest templates stay. A template
 * pushed out and sent again starts over: the counts are lower bounds.
 *
 * Most accounts never send one content twice: the template list and the
 * campaign evidence stay absent until needed. Everything here belongs to the
 * current window and goes with it, so the evidence samples need no event
 * times: every id they hold is of this window.
 */
export interface Template {
  /** 32-bit hash of the content hash. */
  content: number;
  recipients: HashSet32;
  lastSent: number;
  /** Messages that added a recipient: the evidence of same_content_recipients. */
  evidence: IdEvidence | undefined;
}

/** A TemplateTable as plain data (a changelog record); TemplateTable.fromData() gives the same table back. */
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

export class TemplateTable extends CandidateRing {
  windowStart = Number.NEGATIVE_INFINITY;
  /** Absent until a content reaches a second recipient; at most TRACKED_TEMPLATES, grown one at a time. */
  templates: Template[] | undefined = undefined;
  /** Messages of templates that count towards a campaign: the evidence of template_campaign_recipients. */
  private campaignEvidence: IdEvidence | undefined = undefined;
  /** The rules that fired in this window, one bit each (TEMPLATE_RULES order): a number, not an object per table. */
  private fired = 0;

  /** The contents waiting for a second recipient are this table's own CandidateRing part (see candidate-ring.ts). */
  constructor(readonly sizeMs: number) {
    super(CANDIDATE_CAP);
  }

  toData(): TemplateTableData {
    return {
      sizeMs: this.sizeMs,
      windowStart: this.windowStart,
      // Template order matters: admit() picks the first of equal victims.
      templates: (this.templates ?? []).map((t) => ({ content: t.content, recipients: t.recipients.toData(), lastSent: t.lastSent, evidence: copyEvidence(t.evidence) })),
      candidates: this.candidatesToData(),
      campaignEvidence: copyEvidence(this.campaignEvidence),
      fired: { same_content_recipients: this.hasFired('same_content_recipients'), template_campaign_recipients: this.hasFired('template_campaign_recipients') },
    };
  }

  /** What value(toData()) writes, without the copies of the templates' evidence (StateWriter). */
  writeData(out: StateWriter): void {
    out.object(6);
    out.field(F.sizeMs);
    out.number(this.sizeMs);
    out.field(F.windowStart);
    out.number(this.windowStart);
    out.field(F.templates);
    const templates = this.templates ?? [];
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
    this.writeCandidates(out);
    out.field(F.campaignEvidence);
    out.value(this.campaignEvidence ?? null);
    out.field(F.fired);
    out.object(2);
    out.field(F.same_content_recipients);
    out.boolean(this.hasFired('same_content_recipients'));
    out.field(F.template_campaign_recipients);
    out.boolean(this.hasFired('template_campaign_recipients'));
  }

  static fromData(data: TemplateTableData): TemplateTable {
    const table = new TemplateTable(data.sizeMs);
    table.windowStart = data.windowStart;
    const templates = exactCopy(data.templates).map((t) => ({ content: t.content, recipients: HashSet32.fromData(t.recipients), lastSent: t.lastSent, evidence: restoreEvidence(t.evidence) }));
    table.templates = templates.length === 0 ? undefined : templates;
    table.loadCandidates(data.candidates);
    table.campaignEvidence = restoreEvidence(data.campaignEvidence);
    for (const rule of TEMPLATE_RULES) if (data.fired[rule]) table.markFired(rule);
    return table;
  }

  hasFired(rule: TemplateRule): boolean {
    return (this.fired & firedBit(rule)) !== 0;
  }

  markFired(rule: TemplateRule): void {
    this.fired |= firedBit(rule);
  }

  addCampaignEvidence(eventId: string): void {
    this.campaignEvidence = pushId(this.campaignEvidence, eventId, EVIDENCE_SIZE);
  }

  /** The campaign evidence of this window, oldest first. */
  campaignEvidenceIds(): string[] {
    return idList(this.campaignEvidence);
  }

  /**
   * Records one delivery. Returns the template that gained a distinct
   * recipient by it (undefined when none did), or `late` when the event's
   * window was already replaced.
   */
  record(content: number, recipient: number, eventId: string, eventTime: number): Template | undefined | 'late' {
    const start = windowStart(eventTime, this.sizeMs);
    if (start > this.windowStart) this.reset(start);
    else if (start < this.windowStart) return 'late';
    let template = this.templateOf(content);
    if (!template) {
      const first = this.firstRecipient(content);
      if (first === undefined) this.add(content, recipient);
      if (first === undefined || first === recipient) return undefined;
      template = this.admit(content, first);
    }
    template.lastSent = Math.max(template.lastSent, eventTime);
    if (!template.recipients.add(recipient)) return undefined;
    template.evidence = pushId(template.evidence, eventId, EVIDENCE_SIZE);
    return template;
  }

  /** The template of `content`, if admitted. A loop, not find() with a closure over `content`: this runs on every delivery. */
  private templateOf(content: number): Template | undefined {
    const templates = this.templates;
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
  campaign(minRecipients: number): Campaign {
    const counted = (this.templates ?? []).filter((t) => t.recipients.size >= minRecipients);
    if (counted.length < 2) return { recipients: counted[0]?.recipients.size ?? 0, templates: counted.length };
    const audience = new Set<number>();
    for (const t of counted) t.recipients.forEach((h) => audience.add(h));
    return { recipients: audience.size, templates: counted.length };
  }

  private reset(start: number): void {
    this.windowStart = start;
    this.templates = undefined;
    this.clearCandidates();
    this.campaignEvidence = undefined;
    this.fired = 0;
  }

  /** Starts tracking `content`, whose first recipient was `first`. */
  private admit(content: number, first: number): Template {
    const template: Template = { content, recipients: new HashSet32(TEMPLATE_RECIPIENT_CAP, 'saturate'), lastSent: Number.NEGATIVE_INFINITY, evidence: undefined };
    template.recipients.add(first);
    const templates = this.templates ?? [];
    if (templates.length < TRACKED_TEMPLATES) {
      // concat, not push: exactly as many slots as templates.
      this.templates = templates.concat(template);
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
}
