import type { OutcomeSweepsState } from './outcome-sweeps';
import { newRecentCallees } from './recent-callees';
import type { SequentialState } from './sequential-dialling';

/**
 * Per-account state, one object: the walk through number ranges (call
 * starts) and how calls ended (call ends). Millions of accounts are live at
 * once, so every part is created when first needed and holds exactly what it
 * has seen: an account that made one ordinary call holds its callee and the
 * two sweeps' counts, nothing sized for a harvester.
 */
export interface NumberHarvestingState extends SequentialState, OutcomeSweepsState {}

export function createNumberHarvestingState(): NumberHarvestingState {
  return { recent: newRecentCallees(), walk: undefined, unanswered: undefined, short: undefined };
}
