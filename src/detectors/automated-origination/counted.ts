import { countEventInHead } from '../../engine/tumbling-counter';
import type { TelemetryEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { evidenceSince, pushEvidence, type Sample } from './evidence-log';
import { automatedFinding } from './finding';
import type { AutomatedOriginationRule } from './rules';
import { headAt, setHead, type AutomatedOriginationState } from './state';
import { NO_FINDINGS } from '../finding';

/**
 * A plain count per tumbling window (engine/tumbling-counter.ts's
 * countEventInHead), in three head numbers from `counter` (state.ts): window start, -Infinity while the
 * rule never counted (the record writes null); count; fired. Its evidence is
 * its own sample of the account's evidence log, so no rule lists another's
 * events.
 */
const COUNT = 1;
const FIRED = 2;

/** Whether the rule has counted anything yet. */
export const hasCounted = (st: AutomatedOriginationState, counter: number): boolean => headAt(st, counter) !== Number.NEGATIVE_INFINITY;

/** The counter as the record writes it. */
export const counterData = (st: AutomatedOriginationState, counter: number): { windowStart: number; count: number; fired: boolean } => ({
  windowStart: headAt(st, counter),
  count: headAt(st, counter + COUNT),
  fired: headAt(st, counter + FIRED) !== 0,
});

/** Loads a counter's record into the head. */
export function loadCounter(st: AutomatedOriginationState, counter: number, d: { windowStart: number; count: number; fired: boolean }): void {
  setHead(st, counter, d.windowStart);
  setHead(st, counter + COUNT, d.count);
  setHead(st, counter + FIRED, d.fired ? 1 : 0);
}

/** Counts one event; a finding the moment the count passes the threshold, once per window. */
export function checkCount(
  st: AutomatedOriginationState,
  counter: number,
  sample: Sample,
  rule: AutomatedOriginationRule,
  metric: string,
  event: TelemetryEvent,
  ctx: DetectorContext,
  extraThresholds: Record<string, number> = {},
): readonly Finding[] {
  const config = ctx.rule(rule);
  if (!config) return NO_FINDINGS;
  const count = countEventInHead(st, counter, event.eventTime, config.windowMs);
  if (count === 'late') {
    ctx.late(rule);
    return NO_FINDINGS;
  }
  pushEvidence(st, event.eventId, event.eventTime, sample);
  if (headAt(st, counter + FIRED) !== 0 || count <= config.threshold) return NO_FINDINGS;
  setHead(st, counter + FIRED, 1);
  const start = headAt(st, counter);
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
