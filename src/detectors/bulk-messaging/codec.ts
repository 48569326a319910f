import type { DistinctCounter } from '../../engine/distinct-counter';
import type { StateCodec } from '../types';
import { copyEvidence, restoreEvidence } from '../../engine/compact-evidence';
import { exactCopy } from '../../engine/exact-copy';
import { HashSet32, type HashSet32Data } from './hash-set32';
import { copySketch, type RecipientSketch } from './recipient-sketch';
import type { BulkMessagingState } from './state';
import { TemplateTable, type TemplateTableData } from './template-table';
import { fields } from '../../engine/state-writer';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('tables', 'contacted', 'fanout', 'windowStart', 'count', 'fired', 'evidence', 'recipients', 'bits', 'previousStart', 'previousEstimate', 'reports', 'reporters', 'values');

/**
 * BulkMessagingState as plain data for the changelog: each class (template
 * tables, hash sets, candidate rings) goes through its own toData/fromData;
 * the plain parts are copied, never shared, because the live state keeps
 * changing after a snapshot is taken. A part the account has not needed yet
 * is written as null (plain data has no undefined) and comes back absent.
 * Arrays are copied to exactly their length (exact-copy.ts): after a restart
 * every state comes from here, and must be as small as a live one.
 */
export interface BulkMessagingData {
  /** The template tables in order: `table`, then `otherTable`. */
  tables: TemplateTableData[];
  contacted: HashSet32Data | null;
  fanout: { windowStart: number; count: number; fired: boolean; evidence: (string | number)[] | null };
  recipients: RecipientSketch | null;
  reports: { reporters: DistinctCounter; evidence: (string | number)[] | null } | null;
}

const copyDistinct = (c: DistinctCounter): DistinctCounter => ({ windowStart: c.windowStart, values: exactCopy(c.values), fired: c.fired });

export const bulkMessagingCodec: StateCodec<BulkMessagingState> = {
  encode(state): BulkMessagingData {
    const tables = [state.table, state.otherTable].flatMap((t) => (t ? [t.toData()] : []));
    const reports = state.reports;
    return {
      tables,
      contacted: state.contacted ? state.contacted.toData() : null,
      fanout: { windowStart: state.fanoutStart, count: state.fanoutCount, fired: state.fanoutFired, evidence: copyEvidence(state.fanoutEvidence) },
      recipients: state.recipients ? copySketch(state.recipients) : null,
      reports: reports ? { reporters: copyDistinct(reports.reporters), evidence: copyEvidence(reports.evidence) } : null,
    };
  },
  write(state, out) {
    out.object(5);
    out.field(F.tables);
    const tables = [state.table, state.otherTable].filter((t) => t !== undefined);
    out.array(tables.length);
    for (const t of tables) t.writeData(out);
    out.field(F.contacted);
    if (state.contacted) state.contacted.writeData(out);
    else out.null();
    out.field(F.fanout);
    out.object(4);
    out.field(F.windowStart);
    out.value(state.fanoutStart);
    out.field(F.count);
    out.value(state.fanoutCount);
    out.field(F.fired);
    out.value(state.fanoutFired);
    out.field(F.evidence);
    out.value(state.fanoutEvidence ?? null);
    out.field(F.recipients);
    const sketch = state.recipients;
    if (sketch) {
      // copySketch's fields, in its order (the live object's own order may differ).
      out.object(4);
      out.field(F.windowStart);
      out.value(sketch.windowStart);
      out.field(F.bits);
      out.value(sketch.bits);
      out.field(F.previousStart);
      out.value(sketch.previousStart);
      out.field(F.previousEstimate);
      out.value(sketch.previousEstimate);
    } else {
      out.null();
    }
    out.field(F.reports);
    const reports = state.reports;
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
    // Only encode() above writes these records; the changelog carries them unchanged.
    const data = raw as BulkMessagingData;
    const [table, otherTable] = data.tables.map((t) => TemplateTable.fromData(t));
    return {
      table,
      otherTable,
      contacted: data.contacted ? HashSet32.fromData(data.contacted) : undefined,
      fanoutStart: data.fanout.windowStart,
      fanoutCount: data.fanout.count,
      fanoutFired: data.fanout.fired,
      fanoutEvidence: restoreEvidence(data.fanout.evidence),
      recipients: data.recipients ? copySketch(data.recipients) : undefined,
      reports: data.reports ? { reporters: copyDistinct(data.reports.reporters), evidence: restoreEvidence(data.reports.evidence) } : undefined,
    };
  },
};
