import type { EvidenceRing } from '../../engine/evidence-ring';
import type { TelemetryEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { automatedFinding } from './finding';
import { AUTOMATED_ORIGINATION_RULES, HOUR, MAX_ACTIVITY_HOURS, param } from './rules';

const RULE = 'no_diurnal_rest';
const DEFAULTS = AUTOMATED_ORIGINATION_RULES[RULE];
/** Counts saturate here: an hour only needs to reach `minPerHour`. */
const MAX_COUNT = 255;

/**
 * Originations per hour over a rolling window (24 hours by default), one
 * slot per hour of the window. Rolling rather than aligned to UTC days:
 * a person's night falls anywhere in a UTC day, often across its midnight,
 * and a bot switched on at 09:00 must not get two half days.
 */
export interface HourlyActivity {
  /** Hour (since the epoch) each slot currently counts; -1 when unused. */
  hours: Int32Array;
  counts: Uint8Array;
  latestHour: number;
  /** End of the last reported span: spans reported never overlap, so once per window of activity. */
  reportedUntil: number;
}

function newActivity(slots: number): HourlyActivity {
  return { hours: new Int32Array(slots).fill(-1), counts: new Uint8Array(slots), latestHour: Number.NEGATIVE_INFINITY, reportedUntil: Number.NEGATIVE_INFINITY };
}

export function slotsFor(windowMs: number): number {
  return Math.min(Math.max(Math.round(windowMs / HOUR), 1), MAX_ACTIVITY_HOURS);
}

/** The account's activity record, (re)made when the window's length changed under a policy reload. */
export function activityFor(current: HourlyActivity | undefined, windowMs: number): HourlyActivity {
  const slots = slotsFor(windowMs);
  return current && current.counts.length === slots ? current : newActivity(slots);
}

function activeHours(a: HourlyActivity, minPerHour: number): number {
  const slots = a.counts.length;
  let active = 0;
  for (let i = 0; i < slots; i++) {
    const hour = a.hours[i] ?? -1;
    if (hour > a.latestHour - slots && hour <= a.latestHour && (a.counts[i] ?? 0) >= minPerHour) active++;
  }
  return active;
}

/** Counts one origination in its hour; a finding when active hours in the window pass the threshold. */
export function checkDiurnalRest(a: HourlyActivity, recent: EvidenceRing, event: TelemetryEvent, ctx: DetectorContext): Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return [];
  const slots = a.counts.length;
  const hour = Math.floor(event.eventTime / HOUR);
  if (hour <= a.latestHour - slots) {
    ctx.late(RULE);
    return [];
  }
  if (hour > a.latestHour) a.latestHour = hour;
  const i = hour % slots;
  if (a.hours[i] !== hour) {
    a.hours[i] = hour;
    a.counts[i] = 0;
  }
  const count = Math.min((a.counts[i] ?? 0) + 1, MAX_COUNT);
  a.counts[i] = count;
  const minPerHour = Math.min(Math.max(1, param(config, 'minPerHour', DEFAULTS.params.minPerHour)), MAX_COUNT);
  // The number of active hours only grows when an hour just became active.
  if (count !== Math.ceil(minPerHour)) return [];
  const active = activeHours(a, minPerHour);
  const span = { start: (a.latestHour - slots + 1) * HOUR, end: (a.latestHour + 1) * HOUR };
  if (active <= config.threshold || span.start < a.reportedUntil) return [];
  a.reportedUntil = span.end;
  return [automatedFinding(event, RULE, config, span, { activeHours: active }, { activeHours: config.threshold, perHour: minPerHour }, recent.since(span.start))];
}
