import { violationsFirst } from '../../src/kafka/commit-order';

describe('violationsFirst', () => {
  const task = (partition: number, violations: number): { partition: number; uncommitted: { violations: string[] } } => ({
    partition,
    uncommitted: { violations: Array.from({ length: violations }, (_, i) => `v${i}`) },
  });

  it('puts the partitions with violations to publish before the others, each group in the order given', () => {
    const tasks = [task(3, 0), task(1, 2), task(5, 0), task(0, 1), task(2, 0)];
    expect(violationsFirst(new Set(tasks)).map((t) => t.partition)).toEqual([1, 0, 3, 5, 2]);
  });

  it('keeps every task once, whatever the mix', () => {
    expect(violationsFirst([]).length).toBe(0);
    const none = [task(0, 0), task(1, 0)];
    expect(violationsFirst(none)).toEqual(none);
    const all = [task(4, 1), task(2, 3)];
    expect(violationsFirst(all)).toEqual(all);
  });
});
