import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from './report';

/** Every figure of the last `make bench`, one table, each beside its target (from out/bench/*.json). */
const BENCHES = ['replay-throughput', 'memory-per-account', 'e2e-throughput', 'latency'];
const dir = join(process.cwd(), 'out', 'bench');
const lines: string[] = ['', 'make bench: every figure beside its target'];
for (const bench of BENCHES) {
  const file = join(dir, `${bench}.json`);
  if (!existsSync(file)) {
    lines.push(`  ${bench}: no result`);
    continue;
  }
  const { figures, at } = JSON.parse(readFileSync(file, 'utf8')) as { figures: Figure[]; at: string };
  for (const f of figures) {
    const value = f.value.toLocaleString('en-US', { maximumFractionDigits: f.value < 10 ? 2 : 0 });
    const verdict = f.target === undefined ? '' : `${f.higherIsBetter ? '≥' : '≤'} ${f.target.toLocaleString('en-US')}  ${(f.higherIsBetter ? f.value >= f.target : f.value <= f.target) ? 'met' : 'NOT MET'}`;
    lines.push(`  ${f.name.padEnd(42)} ${value.padStart(10)} ${f.unit.padEnd(9)} ${verdict.padEnd(22)} ${at.slice(0, 16)}`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
