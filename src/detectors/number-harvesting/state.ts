import { newOutcomeSweepsState, type OutcomeSweepsState } from './outcome-sweeps';
import { newSequentialState, type SequentialState } from './sequential-dialling';

/** Per-account state: the walk through number ranges (call starts) and how calls ended (call ends). */
export interface NumberHarvestingState {
  sequential: SequentialState;
  outcomes: OutcomeSweepsState;
}

export function createNumberHarvestingState(): NumberHarvestingState {
  return { sequential: newSequentialState(), outcomes: newOutcomeSweepsState() };
}
