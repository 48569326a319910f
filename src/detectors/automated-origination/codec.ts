import { joinNumbers, joinStrings, setTailNumbers, setTailStrings, tailNumbers, tailString, writeTailNumbers } from '../../engine/row-tails';
import { fields, type Field, type StateWriter } from '../../engine/state-writer';
import type { RowCounter } from '../../engine/tumbling-counter';
import type { StateCodec } from '../types';
import { counterData, hasCounted, loadCounter } from './counted';
import { hasActivity } from './diurnal';
import { evidenceFromData, evidenceToData, writeEvidence, type EvidenceLogData } from './evidence-log';
import { gapsFromData, gapsToData, writeGaps, type GapRingData } from './gap-ring';
import { hasCadence } from './regular-spacing';
import { MAX_ACTIVITY_HOURS } from './rules';
import {
  ACTIVITY_HOURS,
  ACTIVITY_REPORTED_UNTIL,
  ACTIVITY_SLOTS,
  API_COUNTER,
  CALLS,
  createState,
  CURRENT_MINUTE,
  EVIDENCE_COUNTS,
  EVIDENCE_ROOM,
  EVIDENCE_SIZE,
  HAS_MESSAGE_ID,
  headAt,
  hoursAt,
  intAt,
  MESSAGES,
  MINUTE_COUNT,
  RUN_EVENTS,
  RUN_LAST_BUSY,
  RUN_MINUTES,
  RUN_REPORTED,
  RUN_START,
  setHead,
  setInt,
  SHORT_CALLS_COUNTER,
  SPACING_FIRED,
  SPACING_RUNS,
  SPACING_START,
  type AutomatedOriginationState,
  type CadenceHead,
} from './state';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields(
  'last', 'gaps', 'runCountedIn', 'slots', 'hours', 'reportedUntil', 'v', 'lastMessageId', 'minute', 'minuteCount', 'rate', 'activity', 'evidence', 'calls', 'messages', 'spacing', 'api', 'shortCalls',
  'lastBusyMinute', 'runStart', 'runMinutes', 'runEvents', 'reportedWindow', 'start', 'runs', 'fired', 'windowStart', 'count',
);

/**
 * The state of one account as plain data, for the changelog: the record
 * version 3 has always written, whatever the live layout (objects before, a
 * row now). Parts a rule has not needed yet are null (not undefined, which a
 * record format may not carry) and come back unused. Every array is a copy
 * both ways: the live state keeps changing after a snapshot, and one record
 * may be decoded more than once.
 */
interface CadenceData {
  /** Time of the kind's latest origination. */
  last: number;
  gaps: GapRingData;
  runCountedIn: number | null;
}

interface RateRunData {
  lastBusyMinute: number;
  runStart: number;
  runMinutes: number;
  runEvents: number;
  reportedWindow: number;
}

interface ActivityData {
  slots: number;
  hours: number[];
  reportedUntil: number | null;
}

interface SpacingData {
  start: number;
  runs: number;
  fired: boolean;
}

interface CounterData {
  windowStart: number;
  count: number;
  fired: boolean;
}

export interface AutomatedOriginationData {
  /** Format version: bumped when the shape changes, so an old record is refused rather than misread. */
  v: 3;
  lastMessageId: string | null;
  minute: number;
  minuteCount: number;
  rate: RateRunData | null;
  activity: ActivityData | null;
  evidence: EvidenceLogData;
  calls: CadenceData | null;
  messages: CadenceData | null;
  spacing: SpacingData | null;
  api: CounterData | null;
  shortCalls: CounterData | null;
}

type Row = AutomatedOriginationState;

/** NaN in the head (none) is null in the record, and back. */
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);
const orNaN = (v: number | null): number => v ?? Number.NaN;

const hasRun = (st: Row): boolean => headAt(st, RUN_LAST_BUSY) !== Number.NEGATIVE_INFINITY;
const hasSpacing = (st: Row): boolean => headAt(st, SPACING_START) !== Number.NEGATIVE_INFINITY;

const lastMessageId = (st: Row): string | null => (intAt(st, HAS_MESSAGE_ID) !== 0 ? tailString(st, 0, '') : null);

const hoursList = (st: Row): number[] => tailNumbers(st, hoursAt(st), hoursAt(st) + intAt(st, ACTIVITY_HOURS));

function rateData(st: Row): RateRunData | null {
  if (!hasRun(st)) return null;
  return { lastBusyMinute: headAt(st, RUN_LAST_BUSY), runStart: headAt(st, RUN_START), runMinutes: intAt(st, RUN_MINUTES), runEvents: intAt(st, RUN_EVENTS), reportedWindow: headAt(st, RUN_REPORTED) };
}

function activityData(st: Row): ActivityData | null {
  if (!hasActivity(st)) return null;
  return { slots: intAt(st, ACTIVITY_SLOTS), hours: hoursList(st), reportedUntil: orNull(headAt(st, ACTIVITY_REPORTED_UNTIL)) };
}

function cadenceData(st: Row, c: CadenceHead): CadenceData | null {
  if (!hasCadence(st, c)) return null;
  return { last: headAt(st, c.last), gaps: gapsToData(st, c), runCountedIn: orNull(headAt(st, c.runCountedIn)) };
}

const spacingData = (st: Row): SpacingData | null => (hasSpacing(st) ? { start: headAt(st, SPACING_START), runs: intAt(st, SPACING_RUNS), fired: intAt(st, SPACING_FIRED) !== 0 } : null);

const counterOrNull = (st: Row, counter: RowCounter): CounterData | null => (hasCounted(st, counter) ? counterData(st, counter) : null);

/** An object of `values` under `names`, the last `booleans` of them as booleans (what value() of such an object writes). */
function writeNumbersObject(out: StateWriter, values: readonly number[], names: readonly Field[], booleans: number): void {
  out.object(names.length);
  for (let i = 0; i < names.length; i++) {
    out.field(names[i] as Field);
    const v = values[i] ?? 0;
    if (i >= names.length - booleans) out.value(v !== 0);
    else out.value(v);
  }
}

const runValues = (st: Row): number[] => [headAt(st, RUN_LAST_BUSY), headAt(st, RUN_START), intAt(st, RUN_MINUTES), intAt(st, RUN_EVENTS), headAt(st, RUN_REPORTED)];
const spacingValues = (st: Row): number[] => [headAt(st, SPACING_START), intAt(st, SPACING_RUNS), intAt(st, SPACING_FIRED)];
const counterValues = (st: Row, c: RowCounter): number[] => [headAt(st, c.window), intAt(st, c.count), intAt(st, c.fired)];

const RUN_FIELDS = [F.lastBusyMinute, F.runStart, F.runMinutes, F.runEvents, F.reportedWindow];
const SPACING_FIELDS = [F.start, F.runs, F.fired];
const COUNTER_FIELDS = [F.windowStart, F.count, F.fired];

/** What value(cadenceData(st, c)) writes. */
function writeCadence(out: StateWriter, st: Row, c: CadenceHead): void {
  if (!hasCadence(st, c)) return out.null();
  out.object(3);
  out.field(F.last);
  out.number(headAt(st, c.last));
  out.field(F.gaps);
  writeGaps(out, st, c);
  out.field(F.runCountedIn);
  out.value(orNull(headAt(st, c.runCountedIn)));
}

function isData(data: unknown): data is AutomatedOriginationData {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Partial<Record<keyof AutomatedOriginationData, unknown>>;
  return d.v === 3 && typeof d.minuteCount === 'number' && typeof d.evidence === 'object' && d.evidence !== null;
}

/** Loads a cadence's record into the head; returns its gaps, for the tail. */
function loadCadence(st: Row, c: CadenceHead, d: CadenceData | null): number[] {
  if (d === null) return [];
  const ring = gapsFromData(d.gaps);
  setHead(st, c.last, d.last);
  setHead(st, c.runCountedIn, orNaN(d.runCountedIn));
  setInt(st, c.next, ring.next);
  setInt(st, c.gaps, ring.gaps.length);
  return ring.gaps;
}

export const automatedOriginationCodec: StateCodec<AutomatedOriginationState> = {
  encode: (st): AutomatedOriginationData => ({
    v: 3,
    lastMessageId: lastMessageId(st),
    minute: headAt(st, CURRENT_MINUTE),
    minuteCount: intAt(st, MINUTE_COUNT),
    rate: rateData(st),
    activity: activityData(st),
    evidence: evidenceToData(st),
    calls: cadenceData(st, CALLS),
    messages: cadenceData(st, MESSAGES),
    spacing: spacingData(st),
    api: counterOrNull(st, API_COUNTER),
    shortCalls: counterOrNull(st, SHORT_CALLS_COUNTER),
  }),
  write(st, out) {
    out.object(12);
    out.field(F.v);
    out.number(3);
    out.field(F.lastMessageId);
    out.value(lastMessageId(st));
    out.field(F.minute);
    out.number(headAt(st, CURRENT_MINUTE));
    out.field(F.minuteCount);
    out.number(intAt(st, MINUTE_COUNT));
    out.field(F.rate);
    if (hasRun(st)) writeNumbersObject(out, runValues(st), RUN_FIELDS, 0);
    else out.null();
    out.field(F.activity);
    if (hasActivity(st)) {
      out.object(3);
      out.field(F.slots);
      out.number(intAt(st, ACTIVITY_SLOTS));
      out.field(F.hours);
      writeTailNumbers(out, st, hoursAt(st), hoursAt(st) + intAt(st, ACTIVITY_HOURS));
      out.field(F.reportedUntil);
      out.value(orNull(headAt(st, ACTIVITY_REPORTED_UNTIL)));
    } else {
      out.null();
    }
    out.field(F.evidence);
    writeEvidence(out, st);
    out.field(F.calls);
    writeCadence(out, st, CALLS);
    out.field(F.messages);
    writeCadence(out, st, MESSAGES);
    out.field(F.spacing);
    if (hasSpacing(st)) writeNumbersObject(out, spacingValues(st), SPACING_FIELDS, 1);
    else out.null();
    for (const [name, counter] of [
      [F.api, API_COUNTER],
      [F.shortCalls, SHORT_CALLS_COUNTER],
    ] as const) {
      out.field(name);
      if (hasCounted(st, counter)) writeNumbersObject(out, counterValues(st, counter), COUNTER_FIELDS, 1);
      else out.null();
    }
  },
  decode(data) {
    if (!isData(data)) throw new TypeError('automated_origination: not a version 3 state record');
    const evidence = evidenceFromData(data.evidence);
    const st = createState();
    setHead(st, CURRENT_MINUTE, data.minute);
    setInt(st, MINUTE_COUNT, data.minuteCount);
    if (data.rate !== null) {
      const r = data.rate;
      setHead(st, RUN_LAST_BUSY, r.lastBusyMinute);
      setHead(st, RUN_START, r.runStart);
      setInt(st, RUN_MINUTES, r.runMinutes);
      setInt(st, RUN_EVENTS, r.runEvents);
      setHead(st, RUN_REPORTED, r.reportedWindow);
    }
    let hours: number[] = [];
    if (data.activity !== null) {
      const a = data.activity;
      if (!(Number.isInteger(a.slots) && a.slots >= 1 && a.slots <= MAX_ACTIVITY_HOURS) || a.hours.length > a.slots) throw new RangeError('automated_origination: activity data out of range');
      hours = a.hours.slice();
      setInt(st, ACTIVITY_SLOTS, a.slots);
      setHead(st, ACTIVITY_REPORTED_UNTIL, orNaN(a.reportedUntil));
      // The active-hours count is not recorded: perHour 0 has it counted again at the account's next origination.
      setInt(st, ACTIVITY_HOURS, hours.length);
    }
    setInt(st, EVIDENCE_SIZE, evidence.ids.length);
    setInt(st, EVIDENCE_ROOM, evidence.ids.length);
    setInt(st, EVIDENCE_COUNTS, evidence.counts);
    const calls = loadCadence(st, CALLS, data.calls);
    const messages = loadCadence(st, MESSAGES, data.messages);
    if (data.spacing !== null) {
      setHead(st, SPACING_START, data.spacing.start);
      setInt(st, SPACING_RUNS, data.spacing.runs);
      setInt(st, SPACING_FIRED, data.spacing.fired ? 1 : 0);
    }
    if (data.api !== null) loadCounter(st, API_COUNTER, data.api);
    if (data.shortCalls !== null) loadCounter(st, SHORT_CALLS_COUNTER, data.shortCalls);
    const message = data.lastMessageId === null ? [] : [data.lastMessageId];
    setInt(st, HAS_MESSAGE_ID, message.length);
    setTailStrings(st, joinStrings([message, evidence.ids]));
    setTailNumbers(st, joinNumbers([evidence.times, evidence.samples, hours, calls, messages]));
    return st;
  },
};
