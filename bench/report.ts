import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';

/** One benchmark figure beside its target, printed as a table and kept as JSON in out/bench/. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Absent for a figure shown for context (p50 beside a p99 target, the peer's own rate). */
  target?: number;
  /** Whether a higher value is better (throughput) or a lower one (latency, memory). */
  higherIsBetter: boolean;
}

export function report(bench: string, figures: Figure[], details: Record<string, unknown> = {}): void {
  const rows = figures.map((f) => {
    const value = `  ${f.name.padEnd(42)} ${f.value.toLocaleString('en-US', { maximumFractionDigits: f.value < 10 ? 2 : 1 }).padStart(12)} ${f.unit.padEnd(10)}`;
    if (f.target === undefined) return `${value} (context)`;
    const met = f.higherIsBetter ? f.value >= f.target : f.value <= f.target;
    return `${value} target ${f.higherIsBetter ? '≥' : '≤'} ${f.target.toLocaleString('en-US')} ${met ? 'met' : 'NOT MET'}`;
  });
  process.stdout.write(`\n${bench}\n${rows.join('\n')}\n`);
  // `make bench` runs from the repo root; the compiled file lives in dist-bench/, so __dirname would mislead.
  const dir = join(process.cwd(), 'out', 'bench');
  mkdirSync(dir, { recursive: true });
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  writeFileSync(join(dir, `${bench}.json`), `${JSON.stringify({ bench, at: new Date().toISOString(), machine, figures, details }, null, 2)}\n`);
}
