import type { AccountLabel } from '../simulate/labels';
import type { AccountChange } from './compare';
import { distribution, personaOutcomes, ruleCounts, scoreCategories, timesToDetect, type CategoryScore, type Distribution, type Flag, type Labels, type PersonaOutcome, type RuleCount } from './metrics';
import type { SweepRow } from './sweep';
import { sweepRows } from './sweep';

/** Everything a backtest report shows, computed once for the terminal and the HTML page. */
export interface BacktestReport {
  input: string;
  policyVersion: string;
  events: number;
  badLines: number;
  accounts: number;
  abusiveAccounts: number;
  legitimateAccounts: number;
  /** Flagged accounts that the labels file does not know. */
  unlabelledFlagged: number;
  categories: CategoryScore[];
  personas: PersonaOutcome[];
  rules: RuleCount[];
  /** Time to detect of every abusive account caught in its own categories (ms). */
  ttd: number[];
  ttdSummary: Distribution;
  sweep: SweepRow[];
  sweepFactors: number[];
  compare?: { policyVersion: string; changes: AccountChange[]; categories: CategoryScore[] };
}

export interface ReportInputs {
  input: string;
  policyVersion: string;
  events: number;
  badLines: number;
  labels: ReadonlyMap<string, AccountLabel>;
  flags: readonly Flag[];
  sweep: readonly { factor: number; flags: readonly Flag[] }[];
  compare?: { policyVersion: string; flags: readonly Flag[]; changes: AccountChange[] };
}

export function buildReport(x: ReportInputs): BacktestReport {
  const labels: Labels = x.labels;
  const values = [...labels.values()];
  const ttd = timesToDetect(labels, x.flags);
  const sweepRuns = x.sweep.length > 0 ? [...x.sweep, { factor: 1, flags: x.flags }] : [];
  return {
    input: x.input,
    policyVersion: x.policyVersion,
    events: x.events,
    badLines: x.badLines,
    accounts: labels.size,
    abusiveAccounts: values.filter((l) => l.label === 'abusive').length,
    legitimateAccounts: values.filter((l) => l.label === 'legitimate').length,
    unlabelledFlagged: new Set(x.flags.filter((f) => !labels.has(f.accountId)).map((f) => f.accountId)).size,
    categories: scoreCategories(labels, x.flags),
    personas: personaOutcomes(labels, x.flags),
    rules: ruleCounts(labels, x.flags),
    ttd,
    ttdSummary: distribution(ttd),
    sweep: sweepRows(labels, sweepRuns),
    sweepFactors: [...new Set(sweepRuns.map((r) => r.factor))].sort((a, b) => a - b),
    ...(x.compare === undefined ? {} : { compare: { policyVersion: x.compare.policyVersion, changes: x.compare.changes, categories: scoreCategories(labels, x.compare.flags) } }),
  };
}
