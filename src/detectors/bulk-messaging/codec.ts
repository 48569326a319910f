import type { DistinctCounter } from '../../engine/distinct-counter';
import { EvidenceRing, type EvidenceRingData } from '../../engine/evidence-ring';
import type { TumblingCounter } from '../../engine/tumbling-counter';
import type { StateCodec } from '../types';
import { HashSet32, type HashSet32Data } from './hash-set32';
import type { RecipientSketch } from './recipient-sketch';
import type { BulkMessagingState } from './state';
import { TemplateTable, type TemplateTableData } from './template-table';

/**
 * BulkMessagingState as plain data for the changelog: each class (template
 * tables, hash sets, candidate rings, evidence rings) goes through its own
 * toData/fromData; the plain parts are copied, never shared, because the live
 * state keeps changing after a snapshot is taken.
 */
export interface BulkMessagingData {
  tables: TemplateTableData[];
  contacted: HashSet32Data;
  newRecipients: TumblingCounter;
  fanoutEvidence: EvidenceRingData;
  reporters: DistinctCounter;
  recipients: RecipientSketch;
  reportEvidence: EvidenceRingData;
}

const copyCounter = (c: TumblingCounter): TumblingCounter => ({ windowStart: c.windowStart, count: c.count, fired: c.fired });
const copyDistinct = (c: DistinctCounter): DistinctCounter => ({ windowStart: c.windowStart, values: [...c.values], fired: c.fired });
const copySketch = (s: RecipientSketch): RecipientSketch => ({ windowStart: s.windowStart, bits: s.bits.slice(), previousStart: s.previousStart, previousEstimate: s.previousEstimate });

export const bulkMessagingCodec: StateCodec<BulkMessagingState> = {
  encode(state): BulkMessagingData {
    return {
      tables: state.tables.map((t) => t.toData()),
      contacted: state.contacted.toData(),
      newRecipients: copyCounter(state.newRecipients),
      fanoutEvidence: state.fanoutEvidence.toData(),
      reporters: copyDistinct(state.reporters),
      recipients: copySketch(state.recipients),
      reportEvidence: state.reportEvidence.toData(),
    };
  },
  decode(raw) {
    // Only encode() above writes these records; the changelog carries them unchanged.
    const data = raw as BulkMessagingData;
    return {
      tables: data.tables.map((t) => TemplateTable.fromData(t)),
      contacted: HashSet32.fromData(data.contacted),
      newRecipients: copyCounter(data.newRecipients),
      fanoutEvidence: EvidenceRing.fromData(data.fanoutEvidence),
      reporters: copyDistinct(data.reporters),
      recipients: copySketch(data.recipients),
      reportEvidence: EvidenceRing.fromData(data.reportEvidence),
    };
  },
};
