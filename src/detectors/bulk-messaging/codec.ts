import type { DistinctCounter } from '../../engine/distinct-counter';
import { copyEvidence, restoreEvidence } from '../../engine/compact-evidence';
import { exactCopy } from '../../engine/exact-copy';
import { joinNumbers, setTailNumbers, setTailStrings } from '../../engine/row-tails';
import { fields } from '../../engine/state-writer';
import type { StateCodec } from '../types';
import { contactsData, contactsFromData, writeContacts } from './contact-history';
import { fanoutEvidenceData, fanoutEvidenceFromData, writeFanoutEvidence } from './fanout-evidence';
import type { HashSet32Data } from './hash-set32';
import { sketchData, sketchFromData, writeSketch, type RecipientSketchData } from './recipient-sketch';
import { createBulkMessagingState, FANOUT_COUNT, FANOUT_FIRED, FANOUT_START, hasTable, headAt, intAt, rareParts, setHead, setInt, TABLE_1, TABLE_2, TABLES, type BulkMessagingState } from './state';
import { tableData, tableFromData, writeTable, type TemplateTableData } from './template-table';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('tables', 'contacted', 'fanout', 'windowStart', 'count', 'fired', 'evidence', 'recipients', 'reports', 'reporters', 'values');

/**
 * BulkMessagingState as plain data for the changelog: the record the detector
 * has always written, whatever the live layout (objects before, a row now).
 * Everything is copied, never shared, because the live state keeps changing
 * after a snapshot is taken. A part the account has not needed yet is written
 * as null (plain data has no undefined) and comes back absent. Arrays are
 * copied to exactly their length (exact-copy.ts): after a restart every state
 * comes from here, and must be as small as a live one.
 */
export interface BulkMessagingData {
  /** The template tables in order: the first, then the second. */
  tables: TemplateTableData[];
  contacted: HashSet32Data | null;
  fanout: { windowStart: number; count: number; fired: boolean; evidence: (string | number)[] | null };
  recipients: RecipientSketchData | null;
  reports: { reporters: DistinctCounter; evidence: (string | number)[] | null } | null;
}

const copyDistinct = (c: DistinctCounter): DistinctCounter => ({ windowStart: c.windowStart, values: exactCopy(c.values), fired: c.fired });

const presentTables = (st: BulkMessagingState): typeof TABLES => TABLES.filter((part) => hasTable(st, part));

export const bulkMessagingCodec: StateCodec<BulkMessagingState> = {
  encode(st): BulkMessagingData {
    const reports = st.o?.reports;
    return {
      tables: presentTables(st).map((part) => tableData(st, part)),
      contacted: contactsData(st),
      fanout: { windowStart: headAt(st, FANOUT_START), count: intAt(st, FANOUT_COUNT), fired: intAt(st, FANOUT_FIRED) !== 0, evidence: fanoutEvidenceData(st) },
      recipients: sketchData(st),
      reports: reports ? { reporters: copyDistinct(reports.reporters), evidence: copyEvidence(reports.evidence) } : null,
    };
  },
  write(st, out) {
    out.object(5);
    out.field(F.tables);
    // presentTables' parts, without its array (every changed key of every commit).
    let present = 0;
    for (const part of TABLES) if (hasTable(st, part)) present++;
    out.array(present);
    for (const part of TABLES) if (hasTable(st, part)) writeTable(out, st, part);
    out.field(F.contacted);
    writeContacts(out, st);
    out.field(F.fanout);
    out.object(4);
    out.field(F.windowStart);
    out.value(headAt(st, FANOUT_START));
    out.field(F.count);
    out.value(intAt(st, FANOUT_COUNT));
    out.field(F.fired);
    out.value(intAt(st, FANOUT_FIRED) !== 0);
    out.field(F.evidence);
    writeFanoutEvidence(out, st);
    out.field(F.recipients);
    writeSketch(out, st);
    out.field(F.reports);
    const reports = st.o?.reports;
    if (!reports) return out.null();
    out.object(2);
    out.field(F.reporters);
    // copyDistinct's fields, in its order.
    out.object(3);
    out.field(F.windowStart);
    out.value(reports.reporters.windowStart);
    out.field(F.values);
    out.value(reports.reporters.values);
    out.field(F.fired);
    out.value(reports.reporters.fired);
    out.field(F.evidence);
    out.value(reports.evidence ?? null);
  },
  decode(raw) {
    // Only encode() above writes these records; the changelog carries them unchanged. Still, the row's segments are
    // found by their lengths, so a record past a cap is refused rather than laid out past it.
    const data = raw as BulkMessagingData;
    if (data.tables.length > TABLES.length) throw new RangeError(`bulk_messaging: ${data.tables.length} template tables where at most ${TABLES.length} are kept`);
    const st = createBulkMessagingState();
    const first = data.tables[0] ? tableFromData(st, TABLE_1, data.tables[0]) : [];
    const second = data.tables[1] ? tableFromData(st, TABLE_2, data.tables[1]) : [];
    const sketch = sketchFromData(st, data.recipients);
    setHead(st, FANOUT_START, data.fanout.windowStart);
    setInt(st, FANOUT_COUNT, data.fanout.count);
    setInt(st, FANOUT_FIRED, data.fanout.fired ? 1 : 0);
    const fanout = fanoutEvidenceFromData(st, data.fanout.evidence);
    const contacted = contactsFromData(st, data.contacted);
    setTailNumbers(st, joinNumbers([first, second, sketch, fanout.times, contacted]));
    setTailStrings(st, fanout.ids);
    if (data.reports) rareParts(st).reports = { reporters: copyDistinct(data.reports.reporters), evidence: restoreEvidence(data.reports.evidence) };
    return st;
  },
};
