import type { Category } from '../events/types';
import type { Flag, Labels } from './metrics';

/**
 * The effect of each rule's threshold: at each factor, the abusive accounts
 * the rule catches and the legitimate accounts it flags.
 */
export interface SweepCell {
  factor: number;
  catches: number;
  falsePositives: number;
}

export interface SweepRow {
  rule: string;
  category: Category;
  cells: SweepCell[];
}

export function sweepRows(labels: Labels, runs: readonly { factor: number; flags: readonly Flag[] }[]): SweepRow[] {
  type Cell = { abusive: Set<string>; legitimate: Set<string> };
  const rows = new Map<string, { category: Category; byFactor: Map<number, Cell> }>();
  for (const { factor, flags } of runs) {
    for (const f of flags) {
      const row = rows.get(f.rule) ?? { category: f.category, byFactor: new Map<number, Cell>() };
      const cell: Cell = row.byFactor.get(factor) ?? { abusive: new Set<string>(), legitimate: new Set<string>() };
      (labels.get(f.accountId)?.label === 'abusive' ? cell.abusive : cell.legitimate).add(f.accountId);
      row.byFactor.set(factor, cell);
      rows.set(f.rule, row);
    }
  }
  const factors = [...new Set(runs.map((r) => r.factor))].sort((a, b) => a - b);
  return [...rows]
    .map(([rule, { category, byFactor }]) => ({
      rule,
      category,
      cells: factors.map((factor) => ({ factor, catches: byFactor.get(factor)?.abusive.size ?? 0, falsePositives: byFactor.get(factor)?.legitimate.size ?? 0 })),
    }))
    .sort((a, b) => a.category.localeCompare(b.category) || a.rule.localeCompare(b.rule));
}
