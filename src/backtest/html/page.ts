import { duration, ratio } from '../format';
import type { BacktestReport } from '../report-data';
import { esc, histogram, horizontalStackedBars, smallLines } from './svg';

/**
 * The backtest as one self-contained HTML page (inline CSS, inline SVG, a few
 * lines of inline script to filter tables): it can be mailed, archived with a
 * rollout ticket, or opened offline.
 */
const ABUSIVE = '#3b6ea8';
const LEGITIMATE = '#c8553d';

const TTD_BUCKETS: readonly { label: string; upToMs: number }[] = [
  { label: '< 1 min', upToMs: 60_000 },
  { label: '1–5 min', upToMs: 5 * 60_000 },
  { label: '5–15 min', upToMs: 15 * 60_000 },
  { label: '15–60 min', upToMs: 3_600_000 },
  { label: '1–3 h', upToMs: 3 * 3_600_000 },
  { label: '3–6 h', upToMs: 6 * 3_600_000 },
  { label: '6–12 h', upToMs: 12 * 3_600_000 },
  { label: '≥ 12 h', upToMs: Number.POSITIVE_INFINITY },
];

function table(id: string, headers: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[] = []): string {
  const th = headers.map((h, i) => `<th${numeric.includes(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table id="${id}"><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function rulesText(rules: Record<string, number>): string {
  return Object.entries(rules)
    .sort((a, b) => b[1] - a[1])
    .map(([rule, n]) => `${rule} ×${n}`)
    .join(', ');
}

function categorySection(r: BacktestReport): string {
  const rows = r.categories.map((c) => [c.category, String(c.expected), String(c.truePositives), ratio(c.recall), String(c.falsePositives), ratio(c.precision), String(c.otherAbusive), duration(c.ttd.medianMs), duration(c.ttd.p90Ms)]);
  const chart = horizontalStackedBars(
    r.categories.map((c) => ({ label: c.category, values: [c.truePositives, c.expected - c.truePositives, c.falsePositives] })),
    [
      { name: 'abusive caught', colour: ABUSIVE },
      { name: 'abusive missed', colour: '#b9c7d8' },
      { name: 'legitimate flagged', colour: LEGITIMATE },
    ],
  );
  return `<section><h2>Per category</h2>
<p>Accounts, not violations. Precision counts legitimate accounts flagged in the category; "other" is abusive accounts flagged in a category they were not labelled with (acting on them is still right). Time to detect: first violation of the category minus the account's first abusive event.</p>
${table('categories', ['category', 'labelled', 'caught', 'recall', 'false positives', 'precision', 'other', 'ttd median', 'ttd p90'], rows, [1, 2, 3, 4, 5, 6, 7, 8])}
${chart}</section>`;
}

function personaSection(r: BacktestReport): string {
  const legit = r.personas.filter((p) => p.label === 'legitimate');
  const flagged = legit.reduce((s, p) => s + p.flagged, 0);
  const abusive = r.personas.filter((p) => p.label === 'abusive');
  return `<section><h2>False positives by persona</h2>
<p>${flagged} of ${r.legitimateAccounts} legitimate accounts flagged. Heavy personas are the legitimate uses the rules were tuned to spare (docs/rules.md).</p>
${table('legitimate', ['persona', 'heavy', 'accounts', 'flagged', 'rules'], legit.map((p) => [p.persona, p.lookAlike ? 'yes' : '', String(p.accounts), String(p.flagged), rulesText(p.rules)]), [2, 3])}
<h2>Abusive personas</h2><p>Caught: flagged in every category the persona is labelled with.</p>
${table('abusive', ['persona', 'accounts', 'caught', 'flagged', 'rules'], abusive.map((p) => [p.persona, String(p.accounts), String(p.caught), String(p.flagged), rulesText(p.rules)]), [1, 2, 3])}</section>`;
}

function rulesSection(r: BacktestReport): string {
  const chart = horizontalStackedBars(
    r.rules.map((x) => ({ label: x.rule, values: [x.abusiveAccounts, x.legitimateAccounts] })),
    [
      { name: 'abusive accounts', colour: ABUSIVE },
      { name: 'legitimate accounts', colour: LEGITIMATE },
    ],
  );
  return `<section><h2>Per rule</h2><p>Accounts each rule flagged (a rule counts an account once; the table also gives violations).</p>${chart}
${table('rules', ['rule', 'category', 'violations', 'abusive accounts', 'legitimate accounts'], r.rules.map((x) => [x.rule, x.category, String(x.violations), String(x.abusiveAccounts), String(x.legitimateAccounts)]), [2, 3, 4])}</section>`;
}

function ttdSection(r: BacktestReport): string {
  let lower = 0;
  const buckets = TTD_BUCKETS.map((b) => {
    const count = r.ttd.filter((t) => t >= lower && t < b.upToMs).length;
    lower = b.upToMs;
    return { label: b.label, count };
  });
  const s = r.ttdSummary;
  return `<section><h2>Time to detect</h2><p>${s.count} abusive accounts caught in their own categories: median ${duration(s.medianMs)}, p90 ${duration(s.p90Ms)}, max ${duration(s.maxMs)}. Per category in the first table.</p>${histogram(buckets)}</section>`;
}

function sweepSection(r: BacktestReport): string {
  if (r.sweep.length === 0) return '';
  const charts = r.sweep
    .map((row) =>
      smallLines(
        row.rule,
        r.sweepFactors,
        [
          { name: 'abusive caught', colour: ABUSIVE, values: row.cells.map((c) => c.catches) },
          { name: 'legitimate flagged', colour: LEGITIMATE, values: row.cells.map((c) => c.falsePositives) },
        ],
        { mark: 1 },
      ),
    )
    .join('');
  const rows = r.sweep.map((row) => [row.rule, row.category, ...row.cells.map((c) => `${c.catches} / ${c.falsePositives}`)]);
  return `<section><h2>Thresholds</h2><p>Every rule's threshold multiplied by each factor (×1 is the policy, marked): abusive accounts the rule catches (blue) and legitimate accounts it flags (red). A rule whose threshold is 0 (one event is enough) does not move.</p>
<div class="grid">${charts}</div>
${table('sweep', ['rule', 'category', ...r.sweepFactors.map((f) => `×${f} caught / false pos.`)], rows, r.sweepFactors.map((_, i) => i + 2))}</section>`;
}

function compareSection(r: BacktestReport): string {
  const c = r.compare;
  if (!c) return '';
  const count = (kind: string, label?: string): number => c.changes.filter((x) => x.change === kind && (label === undefined || x.label === label)).length;
  const recall = r.categories.map((base, i) => {
    const next = c.categories[i];
    return [base.category, ratio(base.recall), ratio(next?.recall ?? null), String(base.falsePositives), String(next?.falsePositives ?? 0)];
  });
  return `<section><h2>Policy ${esc(c.policyVersion)} compared with ${esc(r.policyVersion)}</h2>
<p>${c.changes.length} account(s) change: ${count('newly flagged')} newly flagged (${count('newly flagged', 'legitimate')} legitimate), ${count('no longer flagged')} no longer flagged (${count('no longer flagged', 'abusive')} abusive), ${count('changed')} with different rules.</p>
${table('compare-categories', ['category', 'recall before', 'recall after', 'false positives before', 'false positives after'], recall, [1, 2, 3, 4])}
<p><label>Filter accounts: <input id="filter" type="search" placeholder="persona, label, rule…"></label></p>
${table('changes', ['account', 'persona', 'label', 'change', 'before', 'after'], c.changes.map((x) => [x.accountId, x.persona, x.label, x.change, x.before.join(' ') || '–', x.after.join(' ') || '–']))}</section>`;
}

const STYLE = `body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:10px 0;font-size:13px}th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
th{background:#f4f6f8}td.num,th.num{text-align:right}.chart{display:block;margin:8px 0;max-width:100%;height:auto}
.grid{display:flex;flex-wrap:wrap;gap:6px}.small{border:1px solid #eee}.lbl{font-size:11px;fill:#333}.val,.tick{font-size:10px;fill:#555}
.title{font-size:11px;font-weight:600;fill:#222}.axis{stroke:#999}.mark{stroke:#bbb;stroke-dasharray:3 3}.meta{color:#555}`;

// Filters the account-change table as the reviewer types; nothing else needs a script.
const SCRIPT = `(function(){var f=document.getElementById('filter');if(!f)return;var rows=document.querySelectorAll('#changes tbody tr');
f.addEventListener('input',function(){var q=f.value.toLowerCase();rows.forEach(function(r){r.style.display=r.textContent.toLowerCase().indexOf(q)>=0?'':'none';});});})();`;

export function htmlReport(r: BacktestReport, generatedAt: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Backtest: ${esc(r.input)}</title><style>${STYLE}</style></head>
<body><h1>Abuse detector backtest</h1>
<p class="meta">Input ${esc(r.input)}: ${r.events.toLocaleString('en-US')} events, ${r.accounts} labelled accounts (${r.abusiveAccounts} abusive, ${r.legitimateAccounts} legitimate)${r.badLines > 0 ? `, ${r.badLines} bad lines skipped` : ''}. Policy ${esc(r.policyVersion)}. Generated ${esc(generatedAt)}.</p>
${categorySection(r)}${personaSection(r)}${rulesSection(r)}${ttdSection(r)}${sweepSection(r)}${compareSection(r)}
<script>${SCRIPT}</script></body></html>
`;
}
