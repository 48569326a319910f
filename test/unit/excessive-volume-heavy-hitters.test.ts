import { newHeavyHitters, offer, topSum, topSumPacked } from '../../src/detectors/excessive-volume/heavy-hitters';
import type { Packed } from '../../src/detectors/excessive-volume/packed';
import { RowTable } from '../../src/engine/row-table';
import { setTailNumbers } from '../../src/engine/row-tails';
import { Random } from '../../src/simulate/random';

describe('heavy hitters (Misra–Gries) behind calls_to_few_numbers', () => {
  it('counts exactly while the values fit in the slots', () => {
    const h = newHeavyHitters();
    for (const v of ['a', 'b', 'a', 'c', 'a', 'b']) offer(h, v, 3);
    expect(topSum(h, 1)).toEqual({ sum: 3, values: 1 });
    expect(topSum(h, 2)).toEqual({ sum: 5, values: 2 });
    expect(topSum(h, 5)).toEqual({ sum: 6, values: 3 });
  });

  it('keeps to its slots, and a new value past them cancels one of each', () => {
    const h = newHeavyHitters();
    for (const v of ['a', 'a', 'b', 'c', 'd']) offer(h, v, 3);
    expect(h.values).toEqual(['a']);
    expect(h.counts).toEqual([1]);
  });

  it('never overestimates, and underestimates by at most total / (slots + 1)', () => {
    const rnd = new Random(7);
    for (let run = 0; run < 50; run++) {
      const h = newHeavyHitters();
      const truth = new Map<string, number>();
      const total = rnd.int(10, 400);
      for (let i = 0; i < total; i++) {
        // A few heavy values in a stream of noise.
        const v = rnd.next() < 0.4 ? `heavy-${rnd.int(0, 3)}` : `noise-${rnd.int(0, 200)}`;
        truth.set(v, (truth.get(v) ?? 0) + 1);
        offer(h, v, 8);
        expect(h.values.length).toBeLessThanOrEqual(8);
      }
      for (const [v, n] of truth) {
        const at = h.values.indexOf(v);
        const estimate = at < 0 ? 0 : (h.counts[at] ?? 0);
        expect(estimate).toBeLessThanOrEqual(n);
        expect(estimate).toBeGreaterThanOrEqual(n - total / 9);
      }
    }
  });

  it('sums the n largest counts of a packed tail as topSum does, counts before `countsAt` left out', () => {
    const rnd = new Random(5);
    for (let run = 0; run < 300; run++) {
      const st: Packed = RowTable.single({ width: 0, fresh: [] });
      // Numbers before the counts (the evidence ring's, in calls_to_few_numbers), then up to 40 counts.
      const before = Array.from({ length: rnd.int(0, 6) }, () => rnd.int(1_000, 100_000));
      const counts = Array.from({ length: rnd.int(0, 41) }, () => rnd.int(1, 50));
      setTailNumbers(st, [...before, ...counts]);
      const n = rnd.int(-1, 45);
      expect(topSumPacked(st, before.length, n)).toBe(topSum({ values: [], counts }, n).sum);
    }
  });
});
