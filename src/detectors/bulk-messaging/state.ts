import type { IdEvidence, TimedEvidence } from '../../engine/compact-evidence';
import type { DistinctCounter } from '../../engine/distinct-counter';
import { RowTable, type RowLayout } from '../../engine/row-table';
import { headAt, intAt, setHead, setInt } from '../../engine/row-tails';
import type { HashSet32 } from './hash-set32';
import { RECIPIENT_SKETCH_BITS } from './rules';

/**
 * Per account: a row of its store's RowTable (engine/row-table.ts), not an
 * object. Nearly every account that messages has one, and an ordinary
 * account (two messages to one person) used to hold ten objects and four
 * boxed numbers for it (≈ 570 bytes): a state object, a template table with
 * its candidate pairs, a contact set, a recipient sketch. As a row it is
 * seven numbers of head (the windows), thirteen 32-bit cells (counts, flags,
 * positions) and one tail of six.
 *
 * The head, `h[at + i]`, and the integer cells, `g[gi + i]`. Two template
 * tables (TABLES), one per distinct window length of the template rules,
 * `TABLE_1` first; each is two head numbers and three cells:
 */
export interface TablePart {
  /** Which table: its index in TABLES and in the rare parts' lists. */
  readonly index: 0 | 1;
  /** Head: its window length (a window of 30 days passes 2^31 ms); 0 while the table does not exist (no template rule needs it). */
  readonly size: number;
  /** Head: its window start (-Infinity before its first delivery). */
  readonly start: number;
  /** Cell: the template rules that fired in its window, one bit each (TEMPLATE_RULES order). */
  readonly fired: number;
  /** Cell: contents waiting for a second recipient (pairs in `n`: content, recipient). */
  readonly candidates: number;
  /** Cell: once the candidate ring is full, the slot of its oldest pair. */
  readonly oldest: number;
}

export const TABLE_1: TablePart = Object.freeze({ index: 0, size: 0, start: 1, fired: 0, candidates: 1, oldest: 2 });
export const TABLE_2: TablePart = Object.freeze({ index: 1, size: 2, start: 3, fired: 3, candidates: 4, oldest: 5 });
export const TABLES: readonly TablePart[] = Object.freeze([TABLE_1, TABLE_2]);

/** Cells: numbers the account has messaged (new_recipient_fanout), how many are held (-1 before the first), and once the history is full the slot of the oldest. */
export const CONTACTED = 6;
export const CONTACTED_OLDEST = 7;

/** new_recipient_fanout's tumbling counter: its window start (head), new recipients in it, fired (1) and its evidence count (cells). */
export const FANOUT_START = 4;
export const FANOUT_COUNT = 8;
export const FANOUT_FIRED = 9;
export const FANOUT_EVIDENCE = 10;

/**
 * The recipient sketch (recipient-sketch.ts). Cells: its form, -1 before the
 * first message, else how many set bits are listed by index (0 to
 * SPARSE_MAX), or BITMAP when it is the whole bitmap; the previous window's
 * estimate. Head: its window start and the previous window's.
 */
export const SKETCH = 11;
export const SKETCH_PREVIOUS_ESTIMATE = 12;
export const SKETCH_START = 5;
export const SKETCH_PREVIOUS_START = 6;

/**
 * The tails, one segment after another (lengths from the cells):
 * - `n`: the first table's candidate pairs | the second's | the sketch (listed
 *   bits, or the bitmap's 32-bit words) | the fanout evidence's times | the
 *   contact history (last: it is the longest, and grows the longest);
 * - `s`: the fanout evidence's ids.
 * Hashes are 32-bit: exact, and unboxed, in a double array.
 */
const NO_WINDOW = Number.NEGATIVE_INFINITY;

/**
 * What most accounts never need, as one object on the row (`o`), absent
 * until a part of it is: the templates of each table (contents that reached
 * a second recipient, each with its own set of recipients) and its campaign
 * evidence, and the spam reports.
 */
export interface RareParts {
  /** By table (TablePart.index): its templates, at most TRACKED_TEMPLATES, undefined while none. */
  templates: [Template[] | undefined, Template[] | undefined];
  /** By table: messages of templates that count towards a campaign (template_campaign_recipients' evidence). */
  campaign: [IdEvidence | undefined, IdEvidence | undefined];
  reports: ReportWindow | undefined;
}

/**
 * A content sent to two or more recipients in a table's window: what
 * same_content_recipients counts, and template_campaign_recipients adds up.
 */
export interface Template {
  /** 32-bit hash of the content hash. */
  content: number;
  recipients: HashSet32;
  lastSent: number;
  /** Messages that added a recipient: the evidence of same_content_recipients. */
  evidence: IdEvidence | undefined;
}

/** Distinct spam/unwanted reporters of the window, with the reports' evidence: message_spam_reports. */
export interface ReportWindow {
  reporters: DistinctCounter;
  evidence: TimedEvidence | undefined;
}

export type BulkMessagingState = RowTable<RareParts>;

export const BULK_MESSAGING_ROWS: RowLayout<RareParts> = Object.freeze({
  width: 7,
  fresh: Object.freeze([0, NO_WINDOW, 0, NO_WINDOW, NO_WINDOW, NO_WINDOW, NO_WINDOW]),
  ints: 13,
  freshInts: Object.freeze([0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0]),
  copyObject: (o: RareParts): RareParts => copyRare(o),
});

export const createBulkMessagingState = (): BulkMessagingState => RowTable.single(BULK_MESSAGING_ROWS);

/** Head number `i` and integer cell `i` (the engine's, re-exported for this folder). */
export { headAt, intAt, setHead, setInt };

/** Whether a table exists (a template rule reads it). */
export const hasTable = (st: BulkMessagingState, part: TablePart): boolean => headAt(st, part.size) !== 0;

/** Where a table's candidate pairs start in `n`: the first table's first, then the second's. */
export const candidatesAt = (st: BulkMessagingState, part: TablePart): number => (part === TABLE_1 ? 0 : 2 * intAt(st, TABLE_1.candidates));

/** Where the sketch starts in `n`: after both tables' candidates. */
export const sketchAt = (st: BulkMessagingState): number => 2 * (intAt(st, TABLE_1.candidates) + intAt(st, TABLE_2.candidates));

/** The sketch's form when it is the whole bitmap (see SKETCH), and the bitmap's 32-bit words. */
export const BITMAP = -2;
export const SKETCH_WORDS = RECIPIENT_SKETCH_BITS / 32;

/** Numbers the sketch holds in `n`. */
export function sketchLength(st: BulkMessagingState): number {
  const form = intAt(st, SKETCH);
  return form === BITMAP ? SKETCH_WORDS : Math.max(0, form);
}

/** Where the fanout evidence's times start in `n`. */
export const fanoutTimesAt = (st: BulkMessagingState): number => sketchAt(st) + sketchLength(st);

/** Where the contact history starts in `n`. */
export const contactedAt = (st: BulkMessagingState): number => fanoutTimesAt(st) + intAt(st, FANOUT_EVIDENCE);

/** The rare parts, made on first need. */
export function rareParts(st: BulkMessagingState): RareParts {
  let rare = st.o;
  if (rare === undefined) st.o = rare = { templates: [undefined, undefined], campaign: [undefined, undefined], reports: undefined };
  return rare;
}

/** Drops the rare parts' object once nothing in it is held any more (a new window), so the row holds no object. */
export function tidyRare(st: BulkMessagingState): void {
  const rare = st.o;
  if (rare === undefined) return;
  const [t1, t2] = rare.templates;
  const [c1, c2] = rare.campaign;
  if (t1 === undefined && t2 === undefined && c1 === undefined && c2 === undefined && rare.reports === undefined) st.o = undefined;
}

/** A copy sharing nothing the live parts change in place. */
function copyRare(o: RareParts): RareParts {
  const templates = (list: Template[] | undefined): Template[] | undefined =>
    list?.map((t) => ({ content: t.content, recipients: t.recipients.copy(), lastSent: t.lastSent, evidence: t.evidence?.slice() }));
  const reports = o.reports;
  return {
    templates: [templates(o.templates[0]), templates(o.templates[1])],
    campaign: [o.campaign[0]?.slice(), o.campaign[1]?.slice()],
    reports: reports && { reporters: { ...reports.reporters, values: reports.reporters.values.slice() }, evidence: reports.evidence?.slice() },
  };
}
