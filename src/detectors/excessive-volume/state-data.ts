import type { TumblingCounter } from '../../engine/tumbling-counter';
import type { HeavyHitters } from './heavy-hitters';

/**
 * Copies of the plain building blocks of this folder's states, used both ways
 * by the codecs: the live state keeps changing after a snapshot, and a decoded
 * state must not alias the record it came from, so nothing is shared.
 */
export function copyCounter(c: TumblingCounter): TumblingCounter {
  return { windowStart: c.windowStart, count: c.count, fired: c.fired };
}

export function copyHeavyHitters(h: HeavyHitters): HeavyHitters {
  return { values: [...h.values], counts: [...h.counts] };
}

/**
 * Per-rule items are stored by rule name, not by position: a changelog record
 * written before a rule was added or the list reordered still lands on the
 * right rule, and a rule it does not know starts fresh.
 */
export function byRule<T, D>(rules: readonly string[], items: readonly T[], encode: (item: T) => D): Record<string, D> {
  const out: Record<string, D> = {};
  rules.forEach((rule, i) => {
    const item = items[i];
    if (item !== undefined) out[rule] = encode(item);
  });
  return out;
}

export function fromRules<T, D>(rules: readonly string[], data: Readonly<Record<string, D>>, decode: (d: D) => T, fresh: () => T): T[] {
  return rules.map((rule) => {
    const d = data[rule];
    return d === undefined ? fresh() : decode(d);
  });
}
