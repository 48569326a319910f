import { duration, ratio, textTable } from './format';
import type { BacktestReport } from './report-data';

/** The backtest as terminal tables: categories, false positives by persona, abusive personas, rules, thresholds, policy changes. */
const MAX_CHANGE_ROWS = 40;

export function textReport(r: BacktestReport): string {
  const out: string[] = [];
  out.push(`backtest of ${r.input}: ${r.events.toLocaleString('en-US')} events, ${r.accounts} labelled accounts (${r.abusiveAccounts} abusive, ${r.legitimateAccounts} legitimate), policy ${r.policyVersion}\n`);
  if (r.unlabelledFlagged > 0) out.push(`warning: ${r.unlabelledFlagged} flagged account(s) have no label (scored as legitimate in rule counts)\n`);

  out.push('\nPer category (accounts; precision counts legitimate accounts flagged against it; "other" = abusive accounts flagged outside their labels)\n');
  out.push(
    textTable(
      ['category', 'labelled', 'caught', 'recall', 'false pos.', 'precision', 'other', 'ttd median', 'ttd p90'],
      r.categories.map((c) => [c.category, String(c.expected), String(c.truePositives), ratio(c.recall), String(c.falsePositives), ratio(c.precision), String(c.otherAbusive), duration(c.ttd.medianMs), duration(c.ttd.p90Ms)]),
      [false, true, true, true, true, true, true, true, true],
    ),
  );

  const legit = r.personas.filter((p) => p.label === 'legitimate');
  const flaggedLegit = legit.filter((p) => p.flagged > 0);
  out.push(`\nFalse positives by persona (${flaggedLegit.reduce((s, p) => s + p.flagged, 0)} of ${r.legitimateAccounts} legitimate accounts flagged)\n`);
  out.push(
    textTable(
      ['persona', 'heavy', 'accounts', 'flagged', 'rules'],
      legit.map((p) => [p.persona, p.lookAlike ? 'yes' : '', String(p.accounts), String(p.flagged), rulesText(p.rules)]),
      [false, false, true, true, false],
    ),
  );

  out.push('\nAbusive personas (caught = flagged in every labelled category)\n');
  out.push(
    textTable(
      ['persona', 'accounts', 'caught', 'flagged', 'rules'],
      r.personas.filter((p) => p.label === 'abusive').map((p) => [p.persona, String(p.accounts), String(p.caught), String(p.flagged), rulesText(p.rules)]),
      [false, true, true, true, false],
    ),
  );

  out.push(`\nTime to detect (first violation in the account's categories − first abusive event): ${r.ttdSummary.count} accounts, median ${duration(r.ttdSummary.medianMs)}, p90 ${duration(r.ttdSummary.p90Ms)}, max ${duration(r.ttdSummary.maxMs)}\n`);

  if (r.sweep.length > 0) {
    out.push('\nThreshold sweep: abusive accounts caught / legitimate accounts flagged, per rule, with every threshold × factor\n');
    out.push(textTable(['rule', ...r.sweepFactors.map((f) => `×${f}`)], r.sweep.map((row) => [row.rule, ...row.cells.map((c) => `${c.catches}/${c.falsePositives}`)]), [false, ...r.sweepFactors.map(() => true)]));
  }

  if (r.compare) {
    const c = r.compare;
    const count = (kind: string, label?: string): number => c.changes.filter((x) => x.change === kind && (label === undefined || x.label === label)).length;
    out.push(`\nPolicy ${c.policyVersion} compared with ${r.policyVersion}: ${c.changes.length} account(s) change\n`);
    out.push(
      `  newly flagged: ${count('newly flagged')} (${count('newly flagged', 'legitimate')} legitimate)   no longer flagged: ${count('no longer flagged')} (${count('no longer flagged', 'abusive')} abusive)   changed rules: ${count('changed')}\n`,
    );
    if (c.changes.length > 0) {
      out.push(
        textTable(
          ['account', 'persona', 'label', 'change', 'before', 'after'],
          c.changes.slice(0, MAX_CHANGE_ROWS).map((x) => [x.accountId, x.persona, x.label, x.change, x.before.join(' ') || '–', x.after.join(' ') || '–']),
        ),
      );
      if (c.changes.length > MAX_CHANGE_ROWS) out.push(`… and ${c.changes.length - MAX_CHANGE_ROWS} more (every one in the HTML report)\n`);
    }
  }
  return out.join('');
}

function rulesText(rules: Record<string, number>): string {
  return Object.entries(rules)
    .sort((a, b) => b[1] - a[1])
    .map(([rule, n]) => `${rule}×${n}`)
    .join(' ');
}
