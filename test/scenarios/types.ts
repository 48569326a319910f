import type { Category, TelemetryEvent } from '../../src/events/types';

/**
 * Labelled traffic for one guideline category: abusive personas the category's
 * detectors must flag, and legitimate look-alikes that no detector may flag.
 * test/integration-free `scenario.test.ts` replays every category's personas
 * together through the full pipeline with every detector on.
 */
export interface Persona {
  /** Unique across all scenarios: prefix it with the category's folder name. */
  accountId: string;
  kind: 'abusive' | 'legitimate';
  /** What the persona is, e.g. "robocaller with machine-regular spacing" or "family call of 3 hours". */
  label: string;
  /** Its events, in any order; event times within one day after t0. */
  events: TelemetryEvent[];
}

export interface CategoryScenario {
  category: Category;
  /** Deterministic: the same t0 gives the same personas and events. */
  personas(t0: number): Persona[];
}
