import { newHeavyHitters, offer, topSum } from '../../src/detectors/excessive-volume/heavy-hitters';
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
});
