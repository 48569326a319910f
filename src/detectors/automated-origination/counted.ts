import { EvidenceRing } from '../../engine/evidence-ring';
import { countEvent, newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import type { TelemetryEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { automatedFinding } from './finding';
import { EVIDENCE_SAMPLE, type AutomatedOriginationRule } from './rules';

/** A plain count per tumbling window, with its own evidence so no rule lists another's events. */
export interface CountedRule {
  counter: TumblingCounter;
  evidence: EvidenceRing;
}

export function newCountedRule(): CountedRule {
  return { counter: newCounter(), evidence: new EvidenceRing(EVIDENCE_SAMPLE) };
}

/** Counts one event; a finding the moment the count passes the threshold, once per window. */
export function checkCount(
  state: CountedRule,
  rule: AutomatedOriginationRule,
  metric: string,
  event: TelemetryEvent,
  ctx: DetectorContext,
  extraThresholds: Record<string, number> = {},
): Finding[] {
  const config = ctx.rule(rule);
  if (!config) return [];
  if (countEvent(state.counter, event.eventTime, config.windowMs) === 'late') {
    ctx.late(rule);
    return [];
  }
  state.evidence.push(event.eventId, event.eventTime);
  if (state.counter.fired || state.counter.count <= config.threshold) return [];
  state.counter.fired = true;
  const start = state.counter.windowStart;
  return [
    automatedFinding(
      event,
      rule,
      config,
      { start, end: start + config.windowMs },
      { [metric]: state.counter.count },
      { [metric]: config.threshold, ...extraThresholds },
      state.evidence.since(start),
    ),
  ];
}
