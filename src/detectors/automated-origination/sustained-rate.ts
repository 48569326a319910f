import type { EvidenceRing } from '../../engine/evidence-ring';
import { windowStart } from '../../engine/window';
import type { TelemetryEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { automatedFinding } from './finding';
import { AUTOMATED_ORIGINATION_RULES, MINUTE, param } from './rules';

const RULE = 'sustained_origination_rate';
const DEFAULTS = AUTOMATED_ORIGINATION_RULES[RULE];

/**
 * A run of consecutive busy minutes (each with at least `minPerMinute`
 * originations). A person bursts for a few minutes and pauses; a machine
 * holds the rate minute after minute. Numbers only: the current minute's
 * count and the run's extent.
 */
export interface RateRun {
  minuteStart: number;
  minuteCount: number;
  /** The latest minute that reached the busy rate; the run continues only from the minute right before. */
  lastBusyMinute: number;
  runStart: number;
  runMinutes: number;
  runEvents: number;
  /** Start of the tumbling window in which the run was last reported: once per window. */
  reportedWindow: number;
}

export function newRateRun(): RateRun {
  const never = Number.NEGATIVE_INFINITY;
  return { minuteStart: never, minuteCount: 0, lastBusyMinute: never, runStart: never, runMinutes: 0, runEvents: 0, reportedWindow: never };
}

/** Counts one origination; a finding when the run passes the threshold, once per window. */
export function checkSustainedRate(run: RateRun, recent: EvidenceRing, event: TelemetryEvent, ctx: DetectorContext): Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return [];
  const minute = windowStart(event.eventTime, MINUTE);
  if (minute < run.minuteStart) {
    ctx.late(RULE);
    return [];
  }
  if (minute > run.minuteStart) {
    run.minuteStart = minute;
    run.minuteCount = 0;
  }
  run.minuteCount++;
  const minPerMinute = Math.max(1, param(config, 'minPerMinute', DEFAULTS.params.minPerMinute));
  if (run.lastBusyMinute === minute) {
    run.runEvents++;
  } else if (run.minuteCount >= minPerMinute) {
    if (run.lastBusyMinute === minute - MINUTE) {
      run.runMinutes++;
      run.runEvents += run.minuteCount;
    } else {
      run.runStart = minute;
      run.runMinutes = 1;
      run.runEvents = run.minuteCount;
    }
    run.lastBusyMinute = minute;
  } else {
    return [];
  }
  if (run.runMinutes <= config.threshold) return [];
  const window = windowStart(event.eventTime, config.windowMs);
  if (run.reportedWindow >= window) return [];
  run.reportedWindow = window;
  return [
    automatedFinding(
      event,
      RULE,
      config,
      { start: run.runStart, end: minute + MINUTE },
      { consecutiveBusyMinutes: run.runMinutes, events: run.runEvents },
      { consecutiveBusyMinutes: config.threshold, perMinute: minPerMinute },
      recent.since(run.runStart),
    ),
  ];
}
