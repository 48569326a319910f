import { EvidenceRing, type EvidenceRingData } from '../../engine/evidence-ring';
import { windowStart } from '../../engine/window';
import { CandidateRing, type CandidateRingData } from './candidate-ring';
import { HashSet32, type HashSet32Data } from './hash-set32';
import { CANDIDATE_CAP, EVIDENCE_SIZE, TEMPLATE_RECIPIENT_CAP, TRACKED_TEMPLATES, type TemplateRule } from './rules';

/**
 * The account's repeated contents ("templates") of one tumbling window, with
 * the distinct recipients of each: what same_content_recipients (one template
 * to many) and template_campaign_recipients (a few rotating templates that
 * add up) read. A content enters when a second recipient gets it (until then
 * it waits in the candidate ring). At most TRACKED_TEMPLATES are kept; a new
 * one takes the place of the one with the fewest recipients, the least
 * recently sent among equals, so the heaviest templates stay. A template
 * pushed out and sent again starts over: the counts are lower bounds.
 */
export interface Template {
  /** 32-bit hash of the content hash. */
  content: number;
  recipients: HashSet32;
  lastSent: number;
  /** Messages that added a recipient: the evidence of same_content_recipients. */
  evidence: EvidenceRing;
}

/** A TemplateTable as plain data (a changelog record); TemplateTable.fromData() gives the same table back. */
export interface TemplateTableData {
  sizeMs: number;
  windowStart: number;
  templates: { content: number; recipients: HashSet32Data; lastSent: number; evidence: EvidenceRingData }[];
  candidates: CandidateRingData;
  campaignEvidence: EvidenceRingData;
  fired: Record<TemplateRule, boolean>;
}

export interface Campaign {
  recipients: number;
  templates: number;
}

export class TemplateTable {
  windowStart = Number.NEGATIVE_INFINITY;
  templates: Template[] = [];
  candidates = new CandidateRing(CANDIDATE_CAP);
  /** Messages of templates that count towards a campaign: the evidence of template_campaign_recipients. */
  campaignEvidence = new EvidenceRing(EVIDENCE_SIZE);
  readonly fired: Record<TemplateRule, boolean> = { same_content_recipients: false, template_campaign_recipients: false };

  constructor(readonly sizeMs: number) {}

  toData(): TemplateTableData {
    return {
      sizeMs: this.sizeMs,
      windowStart: this.windowStart,
      // Template order matters: admit() picks the first of equal victims.
      templates: this.templates.map((t) => ({ content: t.content, recipients: t.recipients.toData(), lastSent: t.lastSent, evidence: t.evidence.toData() })),
      candidates: this.candidates.toData(),
      campaignEvidence: this.campaignEvidence.toData(),
      fired: { ...this.fired },
    };
  }

  static fromData(data: TemplateTableData): TemplateTable {
    const table = new TemplateTable(data.sizeMs);
    table.windowStart = data.windowStart;
    table.templates = data.templates.map((t) => ({ content: t.content, recipients: HashSet32.fromData(t.recipients), lastSent: t.lastSent, evidence: EvidenceRing.fromData(t.evidence) }));
    table.candidates = CandidateRing.fromData(data.candidates);
    table.campaignEvidence = EvidenceRing.fromData(data.campaignEvidence);
    table.fired.same_content_recipients = data.fired.same_content_recipients;
    table.fired.template_campaign_recipients = data.fired.template_campaign_recipients;
    return table;
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
    let template = this.templates.find((t) => t.content === content);
    if (!template) {
      const first = this.candidates.firstRecipient(content);
      if (first === undefined) this.candidates.add(content, recipient);
      if (first === undefined || first === recipient) return undefined;
      template = this.admit(content, first);
    }
    template.lastSent = Math.max(template.lastSent, eventTime);
    if (!template.recipients.add(recipient)) return undefined;
    template.evidence.push(eventId, eventTime);
    return template;
  }

  /** Templates sent to at least `minRecipients`, and their recipients added up. */
  campaign(minRecipients: number): Campaign {
    let recipients = 0;
    let templates = 0;
    for (const t of this.templates) {
      if (t.recipients.size < minRecipients) continue;
      recipients += t.recipients.size;
      templates += 1;
    }
    return { recipients, templates };
  }

  private reset(start: number): void {
    this.windowStart = start;
    this.templates = [];
    this.candidates = new CandidateRing(CANDIDATE_CAP);
    this.campaignEvidence = new EvidenceRing(EVIDENCE_SIZE);
    this.fired.same_content_recipients = false;
    this.fired.template_campaign_recipients = false;
  }

  /** Starts tracking `content`, whose first recipient was `first`. */
  private admit(content: number, first: number): Template {
    const template: Template = { content, recipients: new HashSet32(TEMPLATE_RECIPIENT_CAP, 'saturate'), lastSent: Number.NEGATIVE_INFINITY, evidence: new EvidenceRing(EVIDENCE_SIZE) };
    template.recipients.add(first);
    if (this.templates.length < TRACKED_TEMPLATES) {
      this.templates.push(template);
      return template;
    }
    let victim = 0;
    this.templates.forEach((t, i) => {
      const v = this.templates[victim];
      if (v && (t.recipients.size < v.recipients.size || (t.recipients.size === v.recipients.size && t.lastSent < v.lastSent))) victim = i;
    });
    this.templates[victim] = template;
    return template;
  }
}
