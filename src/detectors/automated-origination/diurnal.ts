import type { TelemetryEvent } from '../../events/types';
import type { RuleConfig } from '../../policy/types';
import type { DetectorContext, Finding } from '../types';
import { insertTailNumber, setTailNumber, spliceNumbers, tailNumber } from '../../engine/row-tails';
import { evidenceSince, SAMPLE } from './evidence-log';
import { automatedFinding } from './finding';
import { AUTOMATED_ORIGINATION_RULES, HOUR, MAX_ACTIVITY_HOURS, param } from './rules';
import { ACTIVITY_ACTIVE, ACTIVITY_HOURS, ACTIVITY_PER_HOUR, ACTIVITY_REPORTED_UNTIL, ACTIVITY_SLOTS, headAt, hoursAt, intAt, setHead, setInt, type AutomatedOriginationState } from './state';
import { NO_FINDINGS } from '../finding';

const RULE = 'no_diurnal_rest';
const DEFAULTS = AUTOMATED_ORIGINATION_RULES[RULE];
/** Counts saturate here: an hour only needs to reach `minPerHour`. */
const MAX_COUNT = 255;
/** An hour and its count in one number, hour × PER_HOUR + count: one array of small integers. */
const PER_HOUR = MAX_COUNT + 1;

/**
 * Originations per hour over a rolling window (24 hours by default): the
 * hours of the window that saw any, earliest first. Rolling rather than
 * aligned to UTC days: a person's night falls anywhere in a UTC day, often
 * across its midnight, and a bot switched on at 09:00 must not get two half
 * days. Only active hours are held: most accounts are active in a few hours
 * a day, so a slot for every hour of the window (up to a week of them) would
 * mostly hold nothing.
 *
 * The record is part of the row (state.ts): ACTIVITY_SLOTS (hours in the
 * window, MAX_ACTIVITY_HOURS at most; 0 before the first origination, and
 * the record is made again when it changes), ACTIVITY_REPORTED_UNTIL (end of
 * the last reported span, NaN before the first: spans reported never
 * overlap, so once per window of activity), and a segment of `n` holding
 * hour × PER_HOUR + count per active hour (hours since the epoch), earliest
 * first, all inside the window ending at the last.
 *
 * ACTIVITY_ACTIVE and ACTIVITY_PER_HOUR: active hours among them at
 * `perHour` originations an hour (0: not counted yet), as last counted: so
 * each origination can ask whether a finding could be near (see
 * activeHoursSoFar) without a scan of up to 168 hours. Counted again whenever
 * an hour is added or becomes active, and when a reload changes `minPerHour`;
 * between those hours only leave, so it is never below the hours active now.
 */
type Row = AutomatedOriginationState;

const hourOf = (entry: number): number => Math.floor(entry / PER_HOUR);
const countOf = (entry: number): number => entry - hourOf(entry) * PER_HOUR;

const hoursHeld = (st: Row): number => intAt(st, ACTIVITY_HOURS);
const hourEntry = (st: Row, i: number): number => tailNumber(st, hoursAt(st) + i, 0);

/** Whether the account has an activity record (the rule has seen an origination). */
export const hasActivity = (st: Row): boolean => intAt(st, ACTIVITY_SLOTS) > 0;

export function slotsFor(windowMs: number): number {
  return Math.min(Math.max(Math.round(windowMs / HOUR), 1), MAX_ACTIVITY_HOURS);
}

/** Makes the account's activity record, again when the window's length changed under a policy reload. */
export function ensureActivity(st: Row, windowMs: number): void {
  const slots = slotsFor(windowMs);
  if (intAt(st, ACTIVITY_SLOTS) === slots) return;
  spliceNumbers(st, hoursAt(st), hoursHeld(st), []);
  setInt(st, ACTIVITY_SLOTS, slots);
  setHead(st, ACTIVITY_REPORTED_UNTIL, Number.NaN);
  setInt(st, ACTIVITY_ACTIVE, 0);
  setHead(st, ACTIVITY_PER_HOUR, 0);
  setInt(st, ACTIVITY_HOURS, 0);
}

/** The latest hour with an origination; -Infinity before the first. */
function latestHour(st: Row): number {
  const held = hoursHeld(st);
  return held === 0 ? Number.NEGATIVE_INFINITY : hourOf(hourEntry(st, held - 1));
}

/**
 * Counts one origination in `hour` (inside the window) and returns the
 * hour's count. A new latest hour moves the window: hours that fall out of it
 * are let go. New hours make a new exact-size segment, at most once an hour.
 */
function countIn(st: Row, hour: number): number {
  const held = hoursHeld(st);
  const from = hoursAt(st);
  let i = held - 1;
  while (i >= 0 && hourOf(hourEntry(st, i)) > hour) i--;
  if (i >= 0 && hourOf(hourEntry(st, i)) === hour) {
    const count = Math.min(countOf(hourEntry(st, i)) + 1, MAX_COUNT);
    setTailNumber(st, from + i, hour * PER_HOUR + count);
    return count;
  }
  const added = hour * PER_HOUR + 1;
  if (i === held - 1) {
    let keep = 0;
    while (keep < held && hourOf(hourEntry(st, keep)) <= hour - intAt(st, ACTIVITY_SLOTS)) keep++;
    // Drops the hours out of the window and appends the new one: one copy.
    spliceNumbers(st, from, keep, []);
    insertTailNumber(st, from + held - keep, added);
    setInt(st, ACTIVITY_HOURS, held - keep + 1);
  } else {
    insertTailNumber(st, from + i + 1, added);
    setInt(st, ACTIVITY_HOURS, held + 1);
  }
  return 1;
}

function countActive(st: Row, minPerHour: number): number {
  let active = 0;
  const held = hoursHeld(st);
  for (let i = 0; i < held; i++) if (countOf(hourEntry(st, i)) >= minPerHour) active++;
  setInt(st, ACTIVITY_ACTIVE, active);
  setHead(st, ACTIVITY_PER_HOUR, minPerHour);
  return active;
}

const minPerHourOf = (config: Readonly<RuleConfig>): number => Math.min(Math.max(1, param(config, 'minPerHour', DEFAULTS.params.minPerHour)), MAX_COUNT);

/** Active hours of the record before the next origination is counted: at least those of the window now (see `active`). */
export function activeHoursSoFar(st: Row, config: Readonly<RuleConfig>): number {
  const minPerHour = minPerHourOf(config);
  return headAt(st, ACTIVITY_PER_HOUR) === minPerHour ? intAt(st, ACTIVITY_ACTIVE) : countActive(st, minPerHour);
}

/** Counts one origination in its hour; a finding when active hours in the window pass the threshold. */
export function checkDiurnalRest(st: Row, event: TelemetryEvent, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return NO_FINDINGS;
  const slots = intAt(st, ACTIVITY_SLOTS);
  const hour = Math.floor(event.eventTime / HOUR);
  if (hour <= latestHour(st) - slots) {
    ctx.late(RULE);
    return NO_FINDINGS;
  }
  const count = countIn(st, hour);
  const latest = latestHour(st);
  const minPerHour = minPerHourOf(config);
  // A new hour may have let older ones go: counted again (once an hour, when the list is made again anyway).
  if (count === 1 && count !== Math.ceil(minPerHour)) countActive(st, minPerHour);
  // The number of active hours only grows when an hour just became active.
  if (count !== Math.ceil(minPerHour)) return NO_FINDINGS;
  const active = countActive(st, minPerHour);
  const span = { start: (latest - slots + 1) * HOUR, end: (latest + 1) * HOUR };
  const reportedUntil = headAt(st, ACTIVITY_REPORTED_UNTIL);
  if (active <= config.threshold || (!Number.isNaN(reportedUntil) && span.start < reportedUntil)) return NO_FINDINGS;
  setHead(st, ACTIVITY_REPORTED_UNTIL, span.end);
  return [automatedFinding(event, RULE, config, span, { activeHours: active }, { activeHours: config.threshold, perHour: minPerHour }, evidenceSince(st, SAMPLE.recent, span.start))];
}
