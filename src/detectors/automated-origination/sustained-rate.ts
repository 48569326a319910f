import { windowStart } from '../../engine/window';
import type { TelemetryEvent } from '../../events/types';
import type { RuleConfig } from '../../policy/types';
import type { DetectorContext, Finding } from '../types';
import { evidenceSince, SAMPLE } from './evidence-log';
import { automatedFinding } from './finding';
import { AUTOMATED_ORIGINATION_RULES, MINUTE, param } from './rules';
import { CURRENT_MINUTE as MINUTE_INDEX, headAt, intAt, MINUTE_COUNT, RUN_EVENTS, RUN_LAST_BUSY, RUN_MINUTES, RUN_REPORTED, RUN_START, setHead, setInt, type AutomatedOriginationState } from './state';
import { NO_FINDINGS } from '../finding';

export const SUSTAINED_RATE_RULE = 'sustained_origination_rate';
const DEFAULTS = AUTOMATED_ORIGINATION_RULES[SUSTAINED_RATE_RULE];

/**
 * A run of consecutive busy minutes (each with at least `minPerMinute`
 * originations). A person bursts for a few minutes and pauses; a machine
 * holds the rate minute after minute. Numbers only, in the row's head
 * (state.ts): the current minute (minutes since the epoch, its start is
 * minute × MINUTE) and its originations (0 before the first, when the minute
 * means nothing), and the run: its latest busy minute (the run continues only
 * from the minute right before; -Infinity until the first busy minute, which
 * most accounts never have), start, minutes, events, and the start of the
 * tumbling window in which it was last reported (once per window).
 */
type Row = AutomatedOriginationState;

/**
 * Busy minutes of the run the next origination could still extend (0 when there is none): the stored run while its
 * last busy minute is the current minute or the one before, since an earlier one can no longer be extended (a minute
 * once passed is final: events in it are late). Never fewer than the busy minutes so far of any run a finding may
 * yet report, late events' runs included.
 */
export function runMinutesSoFar(st: Row): number {
  return intAt(st, MINUTE_COUNT) > 0 && headAt(st, RUN_LAST_BUSY) >= (headAt(st, MINUTE_INDEX) - 1) * MINUTE ? intAt(st, RUN_MINUTES) : 0;
}

/**
 * Counts one origination; a finding when the run passes the threshold, once per window. `config` is the rule's
 * (`ctx.rule(SUSTAINED_RATE_RULE)`), which the caller has looked up already for the evidence sample.
 */
export function checkSustainedRate(st: Row, event: TelemetryEvent, ctx: DetectorContext, config: Readonly<RuleConfig> | undefined): readonly Finding[] {
  if (!config) return NO_FINDINGS;
  const minute = windowStart(event.eventTime, MINUTE);
  // Exact (a whole number of minutes).
  const index = Math.floor(minute / MINUTE);
  const counting = intAt(st, MINUTE_COUNT) > 0;
  if (counting && index < headAt(st, MINUTE_INDEX)) {
    ctx.late(SUSTAINED_RATE_RULE);
    return NO_FINDINGS;
  }
  if (!counting || index > headAt(st, MINUTE_INDEX)) {
    setHead(st, MINUTE_INDEX, index);
    setInt(st, MINUTE_COUNT, 0);
  }
  const minuteCount = intAt(st, MINUTE_COUNT) + 1;
  setInt(st, MINUTE_COUNT, minuteCount);
  const minPerMinute = Math.max(1, param(config, 'minPerMinute', DEFAULTS.params.minPerMinute));
  const lastBusy = headAt(st, RUN_LAST_BUSY);
  if (lastBusy === minute) {
    setInt(st, RUN_EVENTS, intAt(st, RUN_EVENTS) + 1);
  } else if (minuteCount >= minPerMinute) {
    if (lastBusy === minute - MINUTE) {
      setInt(st, RUN_MINUTES, intAt(st, RUN_MINUTES) + 1);
      setInt(st, RUN_EVENTS, intAt(st, RUN_EVENTS) + minuteCount);
    } else {
      setHead(st, RUN_START, minute);
      setInt(st, RUN_MINUTES, 1);
      setInt(st, RUN_EVENTS, minuteCount);
    }
    setHead(st, RUN_LAST_BUSY, minute);
  } else {
    return NO_FINDINGS;
  }
  const runMinutes = intAt(st, RUN_MINUTES);
  if (runMinutes <= config.threshold) return NO_FINDINGS;
  const window = windowStart(event.eventTime, config.windowMs);
  if (headAt(st, RUN_REPORTED) >= window) return NO_FINDINGS;
  setHead(st, RUN_REPORTED, window);
  const runStart = headAt(st, RUN_START);
  return [
    automatedFinding(
      event,
      SUSTAINED_RATE_RULE,
      config,
      { start: runStart, end: minute + MINUTE },
      { consecutiveBusyMinutes: runMinutes, events: intAt(st, RUN_EVENTS) },
      { consecutiveBusyMinutes: config.threshold, perMinute: minPerMinute },
      evidenceSince(st, SAMPLE.recent, runStart),
    ),
  ];
}
