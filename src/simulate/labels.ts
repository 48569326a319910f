import type { Category } from '../events/types';
import type { PersonaKind } from './persona';

/**
 * The ground truth of a simulated population, one entry per account: what a
 * backtest scores the detectors against. Written as NDJSON, one a line.
 */
export interface AccountLabel {
  accountId: string;
  persona: string;
  label: PersonaKind;
  /** The categories an abusive account should be flagged under; empty for legitimate ones. */
  categories: Category[];
  /** Event time of the first event of the abuse (ms), or null when none happened in the window. */
  firstAbusiveEventTime: number | null;
  /** Accounts that act together (a family, a farm) share a group. */
  group: string;
  /** A heavy or unusual legitimate persona that some rule was tuned to spare. */
  lookAlike: boolean;
}
