import type { TelemetryEvent } from '../../events/types';
import type { RuleConfig } from '../../policy/types';
import type { DetectorContext, Finding } from '../types';
import { SAMPLE, type EvidenceLog } from './evidence-log';
import { automatedFinding } from './finding';
import { AUTOMATED_ORIGINATION_RULES, HOUR, MAX_ACTIVITY_HOURS, param } from './rules';
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
 */
export interface HourlyActivity {
  /** Hours in the window, MAX_ACTIVITY_HOURS at most: the record is made again when it changes. */
  slots: number;
  /** hour × PER_HOUR + count per active hour (hours since the epoch), earliest first; all inside the window ending at the last. */
  hours: number[];
  /** End of the last reported span (undefined before the first): spans reported never overlap, so once per window of activity. */
  reportedUntil: number | undefined;
  /**
   * Active hours among `hours` at `perHour` originations an hour (0: not counted yet), as last counted: so each
   * origination can ask whether a finding could be near (see activeHoursSoFar) without a scan of up to 168 hours.
   * Counted again whenever an hour is added or becomes active, and when a reload changes `minPerHour`; between
   * those hours only leave, so it is never below the hours active now.
   */
  active: number;
  perHour: number;
}

const hourOf = (entry: number): number => Math.floor(entry / PER_HOUR);
const countOf = (entry: number): number => entry - hourOf(entry) * PER_HOUR;

function newActivity(slots: number): HourlyActivity {
  return { slots, hours: [], reportedUntil: undefined, active: 0, perHour: 0 };
}

export function slotsFor(windowMs: number): number {
  return Math.min(Math.max(Math.round(windowMs / HOUR), 1), MAX_ACTIVITY_HOURS);
}

/** The account's activity record, (re)made when the window's length changed under a policy reload. */
export function activityFor(current: HourlyActivity | undefined, windowMs: number): HourlyActivity {
  const slots = slotsFor(windowMs);
  return current && current.slots === slots ? current : newActivity(slots);
}

/** The latest hour with an origination; -Infinity before the first. */
function latestHour(a: HourlyActivity): number {
  const last = a.hours[a.hours.length - 1];
  return last === undefined ? Number.NEGATIVE_INFINITY : hourOf(last);
}

/**
 * Counts one origination in `hour` (inside the window) and returns the
 * hour's count. A new latest hour moves the window: hours that fall out of it
 * are let go. New hours make a new exact-size list, at most once an hour.
 */
function countIn(a: HourlyActivity, hour: number): number {
  const hours = a.hours;
  let i = hours.length - 1;
  while (i >= 0 && hourOf(hours[i] ?? 0) > hour) i--;
  const entry = hours[i];
  if (entry !== undefined && hourOf(entry) === hour) {
    const count = Math.min(countOf(entry) + 1, MAX_COUNT);
    hours[i] = hour * PER_HOUR + count;
    return count;
  }
  const added = [hour * PER_HOUR + 1];
  if (i === hours.length - 1) {
    let keep = 0;
    while (keep < hours.length && hourOf(hours[keep] ?? 0) <= hour - a.slots) keep++;
    a.hours = hours.slice(keep).concat(added);
  } else {
    a.hours = hours.slice(0, i + 1).concat(added, hours.slice(i + 1));
  }
  return 1;
}

function countActive(a: HourlyActivity, minPerHour: number): number {
  let active = 0;
  for (const entry of a.hours) if (countOf(entry) >= minPerHour) active++;
  a.active = active;
  a.perHour = minPerHour;
  return active;
}

const minPerHourOf = (config: Readonly<RuleConfig>): number => Math.min(Math.max(1, param(config, 'minPerHour', DEFAULTS.params.minPerHour)), MAX_COUNT);

/** Active hours of the record before the next origination is counted: at least those of the window now (see `active`). */
export function activeHoursSoFar(a: HourlyActivity, config: Readonly<RuleConfig>): number {
  const minPerHour = minPerHourOf(config);
  return a.perHour === minPerHour ? a.active : countActive(a, minPerHour);
}

/** Counts one origination in its hour; a finding when active hours in the window pass the threshold. */
export function checkDiurnalRest(a: HourlyActivity, evidence: EvidenceLog, event: TelemetryEvent, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return NO_FINDINGS;
  const slots = a.slots;
  const hour = Math.floor(event.eventTime / HOUR);
  if (hour <= latestHour(a) - slots) {
    ctx.late(RULE);
    return NO_FINDINGS;
  }
  const count = countIn(a, hour);
  const latest = latestHour(a);
  const minPerHour = minPerHourOf(config);
  // A new hour may have let older ones go: counted again (once an hour, when the list is made again anyway).
  if (count === 1 && count !== Math.ceil(minPerHour)) countActive(a, minPerHour);
  // The number of active hours only grows when an hour just became active.
  if (count !== Math.ceil(minPerHour)) return NO_FINDINGS;
  const active = countActive(a, minPerHour);
  const span = { start: (latest - slots + 1) * HOUR, end: (latest + 1) * HOUR };
  if (active <= config.threshold || (a.reportedUntil !== undefined && span.start < a.reportedUntil)) return NO_FINDINGS;
  a.reportedUntil = span.end;
  return [automatedFinding(event, RULE, config, span, { activeHours: active }, { activeHours: config.threshold, perHour: minPerHour }, evidence.since(SAMPLE.recent, span.start))];
}
