import { existsSync, statSync, writeFileSync } from 'node:fs';
import { comparePolicies } from '../backtest/compare';
import { htmlReport } from '../backtest/html/page';
import { readLabels } from '../backtest/labels-file';
import { buildReport } from '../backtest/report-data';
import { replayVariants } from '../backtest/replay-variants';
import { scalePolicy } from '../backtest/scale-policy';
import { textReport } from '../backtest/text-report';
import { loadPolicyFile } from '../config/policy-file';
import { defaultRules } from '../detectors';
import { UsageError } from './args';
import { Progress } from './progress';

/**
 * `backtest`: replays labelled telemetry through the production pipeline and
 * scores it: per category precision, recall and time to detect, false
 * positives by persona, per-rule counts, the effect of each threshold, and
 * with --compare-policy what a new policy would change account by account.
 * One pass over the input feeds every policy variant.
 */
export interface BacktestOptions {
  input: string;
  labels: string;
  policyFile?: string;
  comparePolicyFile?: string;
  html?: string;
  /** The report's figures as JSON, for scripts and CI. */
  json?: string;
  /** Threshold factors to sweep; empty for none. */
  sweep: number[];
}

export const BACKTEST_EXIT_BAD_LINES = 1;

function mustExist(option: string, path: string | undefined): void {
  if (path !== undefined && !existsSync(path)) throw new UsageError(`--${option}: "${path}" does not exist`);
}

export async function backtest(opts: BacktestOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream & { isTTY?: boolean }): Promise<number> {
  mustExist('input', opts.input);
  mustExist('labels', opts.labels);
  mustExist('policy', opts.policyFile);
  mustExist('compare-policy', opts.comparePolicyFile);
  const defaults = defaultRules();
  const policy = loadPolicyFile(opts.policyFile, defaults);
  const candidate = opts.comparePolicyFile === undefined ? undefined : loadPolicyFile(opts.comparePolicyFile, defaults);
  const labels = await readLabels(opts.labels);

  const variants = [policy, ...(candidate ? [candidate] : []), ...opts.sweep.map((f) => scalePolicy(policy, f))];
  err.write(`replaying ${opts.input} through ${variants.length} polic${variants.length === 1 ? 'y' : 'ies'} (${[policy.version, ...(candidate ? [candidate.version] : []), ...opts.sweep.map((f) => `thresholds ×${f}`)].join(', ')})\n`);
  const progress = new Progress(err, 'events');
  // Characters read over the file's bytes: exact for ASCII, near enough for a progress bar otherwise.
  const size = Math.max(1, statSync(opts.input).size);
  let badShown = 0;
  const result = await replayVariants(
    opts.input,
    variants,
    (lineNo, reason) => {
      // Say which lines were bad, but do not flood the terminal with a broken file.
      if (badShown++ < 20) err.write(`${opts.input}:${lineNo}: ${reason}\n`);
    },
    (n, chars) => progress.update(n, chars / size),
  );
  progress.finish(`replayed ${result.events.toLocaleString('en-US')} events (${result.badLines} bad line(s))`);

  const [base = [], ...rest] = result.flags;
  const compareFlags = candidate ? (rest.shift() ?? []) : undefined;
  const report = buildReport({
    input: opts.input,
    policyVersion: policy.version,
    events: result.events,
    badLines: result.badLines,
    labels,
    flags: base,
    sweep: opts.sweep.map((factor, i) => ({ factor, flags: rest[i] ?? [] })),
    ...(candidate && compareFlags ? { compare: { policyVersion: candidate.version, flags: compareFlags, changes: comparePolicies(labels, base, compareFlags) } } : {}),
  });
  out.write(textReport(report));
  if (opts.html !== undefined) {
    writeFileSync(opts.html, htmlReport(report, new Date().toISOString()));
    err.write(`wrote the HTML report to ${opts.html}\n`);
  }
  if (opts.json !== undefined) writeFileSync(opts.json, `${JSON.stringify(report, null, 1)}\n`);
  return result.badLines > 0 ? BACKTEST_EXIT_BAD_LINES : 0;
}
