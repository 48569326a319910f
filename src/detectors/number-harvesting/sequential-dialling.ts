import { windowStart } from '../../engine/window';
import type { CallEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { pushTimed, timedSince, type TimedEvidence } from '../../engine/compact-evidence';
import { harvestingFinding } from './finding';
import { classifyCallee, type RecentCallees } from './recent-callees';
import { EVIDENCE_SAMPLE, MAX_BLOCK_DIGITS, param, RECENT_CALLEE_CAP } from './rules';
import { NO_FINDINGS } from '../finding';

/**
 * sequential_dialling: dialled calls whose callee continues a walk through a
 * number range, per window. A walk in order steps to a neighbour of the
 * previous callee; a shuffled walk keeps landing in the small block of a
 * recent callee. People call numbers scattered across the plan, so neither
 * happens often by chance.
 */
export interface SequentialState {
  recent: RecentCallees;
  /** Absent until the first call that continues a walk: most accounts never make one. */
  walk: WalkCounter | undefined;
}

/** A tumbling counter of sequential calls (as engine/tumbling-counter.ts), with its evidence in the same object. */
export interface WalkCounter {
  windowStart: number;
  count: number;
  fired: boolean;
  evidence: TimedEvidence | undefined;
}

const RULE = 'sequential_dialling';

export function newWalkCounter(): WalkCounter {
  return { windowStart: Number.NEGATIVE_INFINITY, count: 0, fired: false, evidence: undefined };
}

export function onCallStart(state: SequentialState, event: CallEvent, callee: number, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return NO_FINDINGS;
  // Whole digits only, and no block wider than MAX_BLOCK_DIGITS, whatever a policy file says.
  const blockDigits = Math.min(Math.floor(param(config, RULE, 'blockDigits')), MAX_BLOCK_DIGITS);
  const settings = { lookbackMs: config.windowMs, maxStep: param(config, RULE, 'maxStep'), blockDigits };
  if (classifyCallee(state.recent, callee, event.eventTime, settings, RECENT_CALLEE_CAP) !== 'sequential') return NO_FINDINGS;
  const walk = (state.walk ??= newWalkCounter());
  const start = windowStart(event.eventTime, config.windowMs);
  if (start < walk.windowStart) {
    ctx.late(RULE);
    return NO_FINDINGS;
  }
  if (start > walk.windowStart) {
    walk.windowStart = start;
    walk.count = 0;
    walk.fired = false;
  }
  walk.count += 1;
  walk.evidence = pushTimed(walk.evidence, event.eventId, event.eventTime, EVIDENCE_SAMPLE);
  if (walk.fired || walk.count <= config.threshold) return NO_FINDINGS;
  walk.fired = true;
  return [
    harvestingFinding(
      event,
      RULE,
      config,
      walk.windowStart,
      { sequentialCalls: walk.count },
      { sequentialCalls: config.threshold },
      timedSince(walk.evidence, walk.windowStart),
    ),
  ];
}
