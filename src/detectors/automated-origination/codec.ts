import type { TumblingCounter } from '../../engine/tumbling-counter';
import { fields, type StateWriter } from '../../engine/state-writer';
import type { StateCodec } from '../types';
import type { CountedRule } from './counted';
import type { HourlyActivity } from './diurnal';
import { EvidenceLog, type EvidenceLogData } from './evidence-log';
import type { GapRingData } from './gap-ring';
import { Cadence, NO_SPACING, type SpacingWindow } from './regular-spacing';
import type { AutomatedOriginationState } from './state';
import { NO_RUN, type RateRun } from './sustained-rate';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('last', 'gaps', 'runCountedIn', 'slots', 'hours', 'reportedUntil', 'v', 'lastMessageId', 'minute', 'minuteCount', 'rate', 'activity', 'evidence', 'calls', 'messages', 'spacing', 'api', 'shortCalls');

/**
 * The state of one account as plain data, for the changelog. Rings and the
 * evidence log become their toData() form; parts not made yet, and the shared
 * read-only ones (NO_RUN, NO_SPACING), are null (not undefined, which a
 * record format may not carry) and come back as they were, so a restored
 * account costs no more than the live one. Every array and object is a copy
 * both ways: the live state keeps changing after a snapshot, and one record
 * may be decoded more than once.
 */
interface CadenceData {
  /** Time of the kind's latest origination. */
  last: number;
  gaps: GapRingData;
  runCountedIn: number | null;
}

export interface AutomatedOriginationData {
  /** Format version: bumped when the shape changes, so an old record is refused rather than misread. */
  v: 3;
  lastMessageId: string | null;
  minute: number;
  minuteCount: number;
  rate: RateRun | null;
  activity: ActivityData | null;
  evidence: EvidenceLogData;
  calls: CadenceData | null;
  messages: CadenceData | null;
  spacing: SpacingWindow | null;
  api: TumblingCounter | null;
  shortCalls: TumblingCounter | null;
}

const encodeCadence = (c: Cadence): CadenceData => ({ last: c.last, gaps: c.toData(), runCountedIn: c.runCountedIn ?? null });
/** What value(opt(c, encodeCadence) ?? null) writes. */
function writeCadence(c: Cadence | undefined, out: StateWriter): void {
  if (c === undefined) return out.null();
  out.object(3);
  out.field(F.last);
  out.number(c.last);
  out.field(F.gaps);
  c.writeData(out);
  out.field(F.runCountedIn);
  out.value(c.runCountedIn ?? null);
}

function decodeCadence(d: CadenceData): Cadence {
  const cadence = new Cadence(d.last, d.gaps.capacity).restore(d.gaps);
  cadence.runCountedIn = d.runCountedIn ?? undefined;
  return cadence;
}

const encodeCounted = (c: CountedRule): TumblingCounter => ({ ...c.counter });
const decodeCounted = (d: TumblingCounter): CountedRule => ({ counter: { ...d } });

interface ActivityData {
  slots: number;
  hours: number[];
  reportedUntil: number | null;
}

const encodeActivity = (a: HourlyActivity): ActivityData => ({ slots: a.slots, hours: a.hours.slice(), reportedUntil: a.reportedUntil ?? null });
/** What value(encodeActivity(a)) writes. */
function writeActivity(a: HourlyActivity, out: StateWriter): void {
  out.object(3);
  out.field(F.slots);
  out.number(a.slots);
  out.field(F.hours);
  out.value(a.hours);
  out.field(F.reportedUntil);
  out.value(a.reportedUntil ?? null);
}

/** The active-hours count is not recorded: perHour 0 has it counted again at the account's next origination. */
const decodeActivity = (d: ActivityData): HourlyActivity => ({ slots: d.slots, hours: d.hours.slice(), reportedUntil: d.reportedUntil ?? undefined, active: 0, perHour: 0 });

/** Applies `f` to a part that may not exist yet, keeping its absence (undefined live, null in data). */
function opt<A, B>(value: A | null | undefined, f: (a: A) => B): B | undefined {
  return value === null || value === undefined ? undefined : f(value);
}

function isData(data: unknown): data is AutomatedOriginationData {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Partial<Record<keyof AutomatedOriginationData, unknown>>;
  return d.v === 3 && typeof d.minuteCount === 'number' && typeof d.evidence === 'object' && d.evidence !== null;
}

export const automatedOriginationCodec: StateCodec<AutomatedOriginationState> = {
  encode: (s): AutomatedOriginationData => ({
    v: 3,
    lastMessageId: s.lastMessageId ?? null,
    minute: s.minute,
    minuteCount: s.minuteCount,
    rate: s.rate === NO_RUN ? null : { ...s.rate },
    activity: opt(s.activity, encodeActivity) ?? null,
    evidence: s.evidence.toData(),
    calls: opt(s.calls, encodeCadence) ?? null,
    messages: opt(s.messages, encodeCadence) ?? null,
    spacing: s.spacing === NO_SPACING ? null : { ...s.spacing },
    api: opt(s.api, encodeCounted) ?? null,
    shortCalls: opt(s.shortCalls, encodeCounted) ?? null,
  }),
  write(s, out) {
    out.object(12);
    out.field(F.v);
    out.number(3);
    out.field(F.lastMessageId);
    out.value(s.lastMessageId ?? null);
    out.field(F.minute);
    out.number(s.minute);
    out.field(F.minuteCount);
    out.number(s.minuteCount);
    out.field(F.rate);
    if (s.rate === NO_RUN) out.null();
    else out.value(s.rate);
    out.field(F.activity);
    if (s.activity === undefined) out.null();
    else writeActivity(s.activity, out);
    out.field(F.evidence);
    s.evidence.writeData(out);
    out.field(F.calls);
    writeCadence(s.calls, out);
    out.field(F.messages);
    writeCadence(s.messages, out);
    out.field(F.spacing);
    if (s.spacing === NO_SPACING) out.null();
    else out.value(s.spacing);
    out.field(F.api);
    out.value(s.api?.counter ?? null);
    out.field(F.shortCalls);
    out.value(s.shortCalls?.counter ?? null);
  },
  decode(data) {
    if (!isData(data)) throw new TypeError('automated_origination: not a version 3 state record');
    return {
      lastMessageId: data.lastMessageId ?? undefined,
      minute: data.minute,
      minuteCount: data.minuteCount,
      rate: data.rate === null ? NO_RUN : { ...data.rate },
      activity: opt(data.activity, decodeActivity),
      evidence: EvidenceLog.fromData(data.evidence),
      calls: opt(data.calls, decodeCadence),
      messages: opt(data.messages, decodeCadence),
      spacing: data.spacing === null ? NO_SPACING : { ...data.spacing },
      api: opt(data.api, decodeCounted),
      shortCalls: opt(data.shortCalls, decodeCounted),
    };
  },
};
