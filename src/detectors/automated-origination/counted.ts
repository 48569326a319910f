import { countEvent, newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import type { TelemetryEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import type { EvidenceLog, Sample } from './evidence-log';
import { automatedFinding } from './finding';
import type { AutomatedOriginationRule } from './rules';
import { NO_FINDINGS } from '../finding';

/** A plain count per tumbling window; its evidence is its own sample of the account's evidence log, so no rule lists another's events. */
export interface CountedRule {
  counter: TumblingCounter;
}

export function newCountedRule(): CountedRule {
  return { counter: newCounter() };
}

/** Counts one event; a finding the moment the count passes the threshold, once per window. */
export function checkCount(
  state: CountedRule,
  evidence: EvidenceLog,
  sample: Sample,
  rule: AutomatedOriginationRule,
  metric: string,
  event: TelemetryEvent,
  ctx: DetectorContext,
  extraThresholds: Record<string, number> = {},
): readonly Finding[] {
  const config = ctx.rule(rule);
  if (!config) return NO_FINDINGS;
  if (countEvent(state.counter, event.eventTime, config.windowMs) === 'late') {
    ctx.late(rule);
    return NO_FINDINGS;
  }
  evidence.push(event.eventId, event.eventTime, sample);
  if (state.counter.fired || state.counter.count <= config.threshold) return NO_FINDINGS;
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
      evidence.since(sample, start),
    ),
  ];
}
