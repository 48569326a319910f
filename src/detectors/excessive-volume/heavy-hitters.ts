/**
 * The most frequent values of one window in a fixed number of slots
 * (Misra–Gries). Exact while at most `slots` distinct values are seen; past
 * that, every count is an underestimate by at most total / (slots + 1), so a
 * rule built on it may miss a flood hidden in noise but never invents one.
 */
export interface HeavyHitters {
  values: string[];
  counts: number[];
}

export function newHeavyHitters(): HeavyHitters {
  return { values: [], counts: [] };
}

export function resetHeavyHitters(h: HeavyHitters): void {
  h.values = [];
  h.counts = [];
}

export function offer(h: HeavyHitters, value: string, slots: number): void {
  const at = h.values.indexOf(value);
  if (at >= 0) {
    h.counts[at] = (h.counts[at] ?? 0) + 1;
    return;
  }
  if (h.values.length < slots) {
    h.values.push(value);
    h.counts.push(1);
    return;
  }
  // No free slot: the new value and one occurrence of every tracked value cancel out.
  const values: string[] = [];
  const counts: number[] = [];
  h.values.forEach((v, i) => {
    const c = (h.counts[i] ?? 0) - 1;
    if (c > 0) {
      values.push(v);
      counts.push(c);
    }
  });
  h.values = values;
  h.counts = counts;
}

/** Sum of the `n` largest counts, and how many values it covers. */
export function topSum(h: HeavyHitters, n: number): { sum: number; values: number } {
  const top = [...h.counts].sort((a, b) => b - a).slice(0, Math.max(0, n));
  return { sum: top.reduce((a, b) => a + b, 0), values: top.length };
}
