import { fields, type StateWriter } from '../../engine/state-writer';
import type { StateCodec } from '../types';
import { copyEvidence, restoreEvidence, type TimedEvidence } from '../../engine/compact-evidence';
import { exactCopy } from '../../engine/exact-copy';
import type { SweepState } from './outcome-sweeps';
import { RecentCallees } from './recent-callees';
import type { WalkCounter } from './sequential-dialling';
import type { NumberHarvestingState } from './state';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('windowStart', 'ended', 'matched', 'callees', 'fired', 'evidence', 'recent', 'walk', 'count', 'unanswered', 'short');

/**
 * NumberHarvestingState as plain data for the changelog. Everything is
 * copied, never shared, because the live state keeps changing after a
 * snapshot is taken. A part the account has not needed yet (the walk
 * counter, a sweep, an evidence sample, a sweep's callees) is written as null
 * (plain data has no undefined) and comes back absent. Arrays are copied to
 * exactly their length (exact-copy.ts): after a restart every state
 * comes from here, and must be as small as a live one.
 */
interface WalkData {
  windowStart: number;
  count: number;
  fired: boolean;
  evidence: TimedEvidence | null;
}

interface SweepData {
  windowStart: number;
  ended: number;
  matched: number;
  callees: number[] | null;
  fired: boolean;
  evidence: TimedEvidence | null;
}

export interface NumberHarvestingData {
  /** The recent callees' slots: [last, lastTime, number, time, …], empty before the first call. */
  recent: number[];
  walk: WalkData | null;
  unanswered: SweepData | null;
  short: SweepData | null;
}

const encodeWalk = (w: WalkCounter): WalkData => ({ windowStart: w.windowStart, count: w.count, fired: w.fired, evidence: copyEvidence(w.evidence) });
const decodeWalk = (d: WalkData): WalkCounter => ({ windowStart: d.windowStart, count: d.count, fired: d.fired, evidence: restoreEvidence(d.evidence) });

function encodeSweep(s: SweepState): SweepData {
  return { windowStart: s.windowStart, ended: s.ended, matched: s.matched, callees: s.callees ? s.callees.slice() : null, fired: s.fired, evidence: copyEvidence(s.evidence) };
}

/** What value(s ? encodeSweep(s) : null) writes. */
function writeSweep(out: StateWriter, s: SweepState | undefined): void {
  if (!s) return out.null();
  out.object(6);
  out.field(F.windowStart);
  out.value(s.windowStart);
  out.field(F.ended);
  out.value(s.ended);
  out.field(F.matched);
  out.value(s.matched);
  out.field(F.callees);
  out.value(s.callees ?? null);
  out.field(F.fired);
  out.value(s.fired);
  out.field(F.evidence);
  out.value(s.evidence ?? null);
}

function decodeSweep(d: SweepData): SweepState {
  const callees = d.callees && d.callees.length > 0 ? exactCopy(d.callees) : undefined;
  return { windowStart: d.windowStart, ended: d.ended, matched: d.matched, callees, fired: d.fired, evidence: restoreEvidence(d.evidence) };
}

export const numberHarvestingCodec: StateCodec<NumberHarvestingState> = {
  encode(state): NumberHarvestingData {
    return {
      recent: state.recent.slots.slice(),
      walk: state.walk ? encodeWalk(state.walk) : null,
      unanswered: state.unanswered ? encodeSweep(state.unanswered) : null,
      short: state.short ? encodeSweep(state.short) : null,
    };
  },
  write(state, out) {
    out.object(4);
    out.field(F.recent);
    out.value(state.recent.slots);
    out.field(F.walk);
    const walk = state.walk;
    if (walk) {
      out.object(4);
      out.field(F.windowStart);
      out.value(walk.windowStart);
      out.field(F.count);
      out.value(walk.count);
      out.field(F.fired);
      out.value(walk.fired);
      out.field(F.evidence);
      out.value(walk.evidence ?? null);
    } else {
      out.null();
    }
    out.field(F.unanswered);
    writeSweep(out, state.unanswered);
    out.field(F.short);
    writeSweep(out, state.short);
  },
  decode(raw) {
    // Only encode() above writes these records; the changelog carries them unchanged.
    const data = raw as NumberHarvestingData;
    const recent = new RecentCallees();
    if (data.recent.length > 0) recent.slots = exactCopy(data.recent);
    return {
      recent,
      walk: data.walk ? decodeWalk(data.walk) : undefined,
      unanswered: data.unanswered ? decodeSweep(data.unanswered) : undefined,
      short: data.short ? decodeSweep(data.short) : undefined,
    };
  },
};
