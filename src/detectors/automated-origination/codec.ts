import { EvidenceRing, type EvidenceRingData } from '../../engine/evidence-ring';
import type { TumblingCounter } from '../../engine/tumbling-counter';
import type { StateCodec } from '../types';
import type { CountedRule } from './counted';
import type { HourlyActivity } from './diurnal';
import { GapRing, type GapRingData } from './gap-ring';
import type { Cadence, SpacingWindow } from './regular-spacing';
import type { AutomatedOriginationState } from './state';
import type { RateRun } from './sustained-rate';

/**
 * The state of one account as plain data, for the changelog. Rings become
 * their toData() form; parts not made yet are null (not undefined, which a
 * record format may not carry). Every array and object is a copy both ways:
 * the live state keeps changing after a snapshot, and one record may be
 * decoded more than once.
 */
interface CadenceData {
  lastTime: number;
  gaps: GapRingData;
  evidence: EvidenceRingData;
  runCountedIn: number;
}

interface CountedRuleData {
  counter: TumblingCounter;
  evidence: EvidenceRingData;
}

export interface AutomatedOriginationData {
  /** Format version: bumped when the shape changes, so an old record is refused rather than misread. */
  v: 1;
  lastMessageId: string | null;
  rate: RateRun;
  activity: HourlyActivity | null;
  recent: EvidenceRingData;
  calls: CadenceData | null;
  messages: CadenceData | null;
  spacing: SpacingWindow;
  api: CountedRuleData | null;
  shortCalls: CountedRuleData | null;
}

const encodeCadence = (c: Cadence): CadenceData => ({ lastTime: c.lastTime, gaps: c.gaps.toData(), evidence: c.evidence.toData(), runCountedIn: c.runCountedIn });
const decodeCadence = (d: CadenceData): Cadence => ({ lastTime: d.lastTime, gaps: GapRing.fromData(d.gaps), evidence: EvidenceRing.fromData(d.evidence), runCountedIn: d.runCountedIn });

const encodeCounted = (c: CountedRule): CountedRuleData => ({ counter: { ...c.counter }, evidence: c.evidence.toData() });
const decodeCounted = (d: CountedRuleData): CountedRule => ({ counter: { ...d.counter }, evidence: EvidenceRing.fromData(d.evidence) });

const copyActivity = (a: HourlyActivity): HourlyActivity => ({ hours: a.hours.slice(), counts: a.counts.slice(), latestHour: a.latestHour, reportedUntil: a.reportedUntil });

/** Applies `f` to a part that may not exist yet, keeping its absence (undefined live, null in data). */
function opt<A, B>(value: A | null | undefined, f: (a: A) => B): B | undefined {
  return value === null || value === undefined ? undefined : f(value);
}

function isData(data: unknown): data is AutomatedOriginationData {
  return typeof data === 'object' && data !== null && (data as { v?: unknown }).v === 1;
}

export const automatedOriginationCodec: StateCodec<AutomatedOriginationState> = {
  encode: (s): AutomatedOriginationData => ({
    v: 1,
    lastMessageId: s.lastMessageId ?? null,
    rate: { ...s.rate },
    activity: opt(s.activity, copyActivity) ?? null,
    recent: s.recent.toData(),
    calls: opt(s.calls, encodeCadence) ?? null,
    messages: opt(s.messages, encodeCadence) ?? null,
    spacing: { ...s.spacing },
    api: opt(s.api, encodeCounted) ?? null,
    shortCalls: opt(s.shortCalls, encodeCounted) ?? null,
  }),
  decode(data) {
    if (!isData(data)) throw new TypeError('automated_origination: not a version 1 state record');
    return {
      lastMessageId: data.lastMessageId ?? undefined,
      rate: { ...data.rate },
      activity: opt(data.activity, copyActivity),
      recent: EvidenceRing.fromData(data.recent),
      calls: opt(data.calls, decodeCadence),
      messages: opt(data.messages, decodeCadence),
      spacing: { ...data.spacing },
      api: opt(data.api, decodeCounted),
      shortCalls: opt(data.shortCalls, decodeCounted),
    };
  },
};
