import { EvidenceRing } from '../../engine/evidence-ring';
import { countEvent, newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import type { CallEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { harvestingFinding } from './finding';
import { classifyCallee, newRecentCallees, type RecentCallees } from './recent-callees';
import { EVIDENCE_SAMPLE, MAX_BLOCK_DIGITS, param, RECENT_CALLEE_CAP } from './rules';

/**
 * sequential_dialling: dialled calls whose callee continues a walk through a
 * number range, per window. A walk in order steps to a neighbour of the
 * previous callee; a shuffled walk keeps landing in the small block of a
 * recent callee. People call numbers scattered across the plan, so neither
 * happens often by chance.
 */
export interface SequentialState {
  recent: RecentCallees;
  counter: TumblingCounter;
  evidence: EvidenceRing;
}

const RULE = 'sequential_dialling';

export function newSequentialState(): SequentialState {
  return { recent: newRecentCallees(), counter: newCounter(), evidence: new EvidenceRing(EVIDENCE_SAMPLE) };
}

export function onCallStart(state: SequentialState, event: CallEvent, callee: number, ctx: DetectorContext): Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return [];
  // Whole digits only, and no block wider than MAX_BLOCK_DIGITS, whatever a policy file says.
  const blockDigits = Math.min(Math.floor(param(config, RULE, 'blockDigits')), MAX_BLOCK_DIGITS);
  const settings = { lookbackMs: config.windowMs, maxStep: param(config, RULE, 'maxStep'), blockDigits };
  if (classifyCallee(state.recent, callee, event.eventTime, settings, RECENT_CALLEE_CAP) !== 'sequential') return [];
  const counter = state.counter;
  if (countEvent(counter, event.eventTime, config.windowMs) === 'late') {
    ctx.late(RULE);
    return [];
  }
  state.evidence.push(event.eventId, event.eventTime);
  if (counter.fired || counter.count <= config.threshold) return [];
  counter.fired = true;
  return [
    harvestingFinding(
      event,
      RULE,
      config,
      counter.windowStart,
      { sequentialCalls: counter.count },
      { sequentialCalls: config.threshold },
      state.evidence.since(counter.windowStart),
    ),
  ];
}
