import { windowStart } from '../../engine/window';
import type { TelemetryEvent } from '../../events/types';
import type { RuleConfig } from '../../policy/types';
import type { DetectorContext, Finding } from '../types';
import { SAMPLE, type EvidenceLog } from './evidence-log';
import { automatedFinding } from './finding';
import { AUTOMATED_ORIGINATION_RULES, MINUTE, param } from './rules';
import { NO_FINDINGS } from '../finding';

export const SUSTAINED_RATE_RULE = 'sustained_origination_rate';
const DEFAULTS = AUTOMATED_ORIGINATION_RULES[SUSTAINED_RATE_RULE];

/**
 * A run of consecutive busy minutes (each with at least `minPerMinute`
 * originations). A person bursts for a few minutes and pauses; a machine
 * holds the rate minute after minute. Numbers only. Most accounts never have
 * a busy minute: until the first one, an account shares NO_RUN and keeps only
 * its current minute and count (RateState).
 */
export interface RateRun {
  /** The latest minute that reached the busy rate; the run continues only from the minute right before. */
  lastBusyMinute: number;
  runStart: number;
  runMinutes: number;
  runEvents: number;
  /** Start of the tumbling window in which the run was last reported: once per window. */
  reportedWindow: number;
}

/** No busy minute yet. Frozen: shared by every such account, replaced by its own run on the first. */
export const NO_RUN: RateRun = Object.freeze(newRateRun());

function newRateRun(): RateRun {
  const never = Number.NEGATIVE_INFINITY;
  return { lastBusyMinute: never, runStart: never, runMinutes: 0, runEvents: 0, reportedWindow: never };
}

/** What the rule keeps of an account. */
export interface RateState {
  /**
   * The current minute, as minutes since the epoch (a small integer, stored
   * without a heap number of its own; its start is minute × MINUTE), and its
   * originations: 0 before the first, when `minute` means nothing.
   */
  minute: number;
  minuteCount: number;
  rate: RateRun;
  evidence: EvidenceLog;
}

/**
 * Busy minutes of the run the next origination could still extend (0 when there is none): the stored run while its
 * last busy minute is the current minute or the one before, since an earlier one can no longer be extended (a minute
 * once passed is final: events in it are late). Never fewer than the busy minutes so far of any run a finding may
 * yet report, late events' runs included.
 */
export function runMinutesSoFar(state: RateState): number {
  const run = state.rate;
  return state.minuteCount > 0 && run.lastBusyMinute >= (state.minute - 1) * MINUTE ? run.runMinutes : 0;
}

/**
 * Counts one origination; a finding when the run passes the threshold, once per window. `config` is the rule's
 * (`ctx.rule(SUSTAINED_RATE_RULE)`), which the caller has looked up already for the evidence sample.
 */
export function checkSustainedRate(state: RateState, event: TelemetryEvent, ctx: DetectorContext, config: Readonly<RuleConfig> | undefined): readonly Finding[] {
  if (!config) return NO_FINDINGS;
  const minute = windowStart(event.eventTime, MINUTE);
  // Exact (a whole number of minutes); Math.floor hands V8 a small integer, which a field holds without a heap number.
  const index = Math.floor(minute / MINUTE);
  const counting = state.minuteCount > 0;
  if (counting && index < state.minute) {
    ctx.late(SUSTAINED_RATE_RULE);
    return NO_FINDINGS;
  }
  if (!counting || index > state.minute) {
    state.minute = index;
    state.minuteCount = 0;
  }
  state.minuteCount++;
  const minPerMinute = Math.max(1, param(config, 'minPerMinute', DEFAULTS.params.minPerMinute));
  let run = state.rate;
  if (run.lastBusyMinute === minute) {
    run.runEvents++;
  } else if (state.minuteCount >= minPerMinute) {
    if (run === NO_RUN) {
      run = newRateRun();
      state.rate = run;
    }
    if (run.lastBusyMinute === minute - MINUTE) {
      run.runMinutes++;
      run.runEvents += state.minuteCount;
    } else {
      run.runStart = minute;
      run.runMinutes = 1;
      run.runEvents = state.minuteCount;
    }
    run.lastBusyMinute = minute;
  } else {
    return NO_FINDINGS;
  }
  if (run.runMinutes <= config.threshold) return NO_FINDINGS;
  const window = windowStart(event.eventTime, config.windowMs);
  if (run.reportedWindow >= window) return NO_FINDINGS;
  run.reportedWindow = window;
  return [
    automatedFinding(
      event,
      SUSTAINED_RATE_RULE,
      config,
      { start: run.runStart, end: minute + MINUTE },
      { consecutiveBusyMinutes: run.runMinutes, events: run.runEvents },
      { consecutiveBusyMinutes: config.threshold, perMinute: minPerMinute },
      state.evidence.since(SAMPLE.recent, run.runStart),
    ),
  ];
}
