import { countEventInRow } from '../../engine/tumbling-counter';
import type { CallEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { evidenceSince, pushEvidence } from './evidence';
import { harvestingFinding } from './finding';
import { classifyCallee } from './recent-callees';
import { MAX_BLOCK_DIGITS, param, RECENT_CALLEE_CAP } from './rules';
import { headAt, intAt, setInt, WALK, type NumberHarvestingState } from './state';
import { NO_FINDINGS } from '../finding';

/**
 * sequential_dialling: dialled calls whose callee continues a walk through a
 * number range, per window. A walk in order steps to a neighbour of the
 * previous callee; a shuffled walk keeps landing in the small block of a
 * recent callee. People call numbers scattered across the plan, so neither
 * happens often by chance. The walk's count is in the row's head and its
 * evidence in the tails (state.ts), both unused until the first call that
 * continues a walk: most accounts never make one.
 */
const RULE = 'sequential_dialling';

export function onCallStart(st: NumberHarvestingState, event: CallEvent, callee: number, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return NO_FINDINGS;
  // Whole digits only, and no block wider than MAX_BLOCK_DIGITS, whatever a policy file says.
  const blockDigits = Math.min(Math.floor(param(config, RULE, 'blockDigits')), MAX_BLOCK_DIGITS);
  const settings = { lookbackMs: config.windowMs, maxStep: param(config, RULE, 'maxStep'), blockDigits };
  if (classifyCallee(st, callee, event.eventTime, settings, RECENT_CALLEE_CAP) !== 'sequential') return NO_FINDINGS;
  const count = countEventInRow(st, WALK, event.eventTime, config.windowMs);
  if (count === 'late') {
    ctx.late(RULE);
    return NO_FINDINGS;
  }
  pushEvidence(st, WALK, event.eventId, event.eventTime);
  if (intAt(st, WALK.fired) !== 0 || count <= config.threshold) return NO_FINDINGS;
  setInt(st, WALK.fired, 1);
  const start = headAt(st, WALK.window);
  return [
    harvestingFinding(
      event,
      RULE,
      config,
      start,
      { sequentialCalls: count },
      { sequentialCalls: config.threshold },
      evidenceSince(st, WALK, start),
    ),
  ];
}
