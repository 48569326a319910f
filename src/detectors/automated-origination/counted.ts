import { countEventInRow, type RowCounter } from '../../engine/tumbling-counter';
import type { TelemetryEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { evidenceSince, pushEvidence, type Sample } from './evidence-log';
import { automatedFinding } from './finding';
import type { AutomatedOriginationRule } from './rules';
import { headAt, intAt, setHead, setInt, type AutomatedOriginationState } from './state';
import { NO_FINDINGS } from '../finding';

/**
 * A plain count per tumbling window (engine/tumbling-counter.ts's
 * countEventInRow), where `counter` (state.ts) says: its window start in the
 * head, -Infinity while the rule never counted (the record writes null); its
 * count and fired flag in integer cells. Its evidence is its own sample of
 * the account's evidence log, so no rule lists another's events.
 */

/** Whether the rule has counted anything yet. */
export const hasCounted = (st: AutomatedOriginationState, counter: RowCounter): boolean => headAt(st, counter.window) !== Number.NEGATIVE_INFINITY;

/** The counter as the record writes it. */
export const counterData = (st: AutomatedOriginationState, counter: RowCounter): { windowStart: number; count: number; fired: boolean } => ({
  windowStart: headAt(st, counter.window),
  count: intAt(st, counter.count),
  fired: intAt(st, counter.fired) !== 0,
});

/** Loads a counter's record into the row. */
export function loadCounter(st: AutomatedOriginationState, counter: RowCounter, d: { windowStart: number; count: number; fired: boolean }): void {
  setHead(st, counter.window, d.windowStart);
  setInt(st, counter.count, d.count);
  setInt(st, counter.fired, d.fired ? 1 : 0);
}

/** Counts one event; a finding the moment the count passes the threshold, once per window. */
export function checkCount(
  st: AutomatedOriginationState,
  counter: RowCounter,
  sample: Sample,
  rule: AutomatedOriginationRule,
  metric: string,
  event: TelemetryEvent,
  ctx: DetectorContext,
  extraThresholds: Record<string, number> = {},
): readonly Finding[] {
  const config = ctx.rule(rule);
  if (!config) return NO_FINDINGS;
  const count = countEventInRow(st, counter, event.eventTime, config.windowMs);
  if (count === 'late') {
    ctx.late(rule);
    return NO_FINDINGS;
  }
  pushEvidence(st, event.eventId, event.eventTime, sample);
  if (intAt(st, counter.fired) !== 0 || count <= config.threshold) return NO_FINDINGS;
  setInt(st, counter.fired, 1);
  const start = headAt(st, counter.window);
  return [
    automatedFinding(
      event,
      rule,
      config,
      { start, end: start + config.windowMs },
      { [metric]: count },
      { [metric]: config.threshold, ...extraThresholds },
      evidenceSince(st, sample, start),
    ),
  ];
}
