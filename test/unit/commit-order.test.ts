import { commitDue, violationsFirst, type CommitCandidate } from '../../src/kafka/commit-order';

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

describe('commitDue', () => {
  const config = { commitIntervalMs: 10_000, caughtUpCommitIntervalMs: 200 };
  const task = (committedAt: number, violations: number, backlogged: boolean): CommitCandidate => ({
    committedAt,
    uncommitted: { violations: new Array<string>(violations).fill('v') },
    merge: { backlogged: () => backlogged },
  });

  it('commits a caught-up partition with violations to publish at once, however recent its last commit', () => {
    expect(commitDue(task(1_000, 1, false), 1_000, config)).toBe(true);
    expect(commitDue(task(1_000, 3, false), 1_001, config)).toBe(true);
  });

  it('commits a caught-up partition without violations once CAUGHT_UP_COMMIT_INTERVAL_MS has passed, not before', () => {
    expect(commitDue(task(1_000, 0, false), 1_199, config)).toBe(false);
    expect(commitDue(task(1_000, 0, false), 1_200, config)).toBe(true);
    expect(commitDue(task(1_000, 0, false), 1_000, { ...config, caughtUpCommitIntervalMs: 0 })).toBe(true);
  });

  it('commits a backlogged partition every COMMIT_INTERVAL_MS, its violations included (throughput first)', () => {
    expect(commitDue(task(1_000, 5, true), 10_999, config)).toBe(false);
    expect(commitDue(task(1_000, 0, true), 11_000, config)).toBe(true);
    expect(commitDue(task(1_000, 0, true), 1_000, { ...config, commitIntervalMs: 0 })).toBe(true);
  });
});
