import { assignCoPartitioned } from '../../src/kafka/co-partitioned-assigner';

describe('co-partitioned assignment', () => {
  it('gives partition p of every topic to the same member and balances partitions', () => {
    const topics = new Map([
      ['calls', [0, 1, 2, 3, 4, 5]],
      ['messages', [0, 1, 2, 3, 4, 5]],
    ]);
    const out = assignCoPartitioned(['m-b', 'm-a'], topics);
    expect(out.get('m-a')).toEqual({ calls: [0, 2, 4], messages: [0, 2, 4] });
    expect(out.get('m-b')).toEqual({ calls: [1, 3, 5], messages: [1, 3, 5] });
  });

  it('leaves extra members idle rather than splitting a partition number', () => {
    const out = assignCoPartitioned(['a', 'b', 'c'], new Map([['calls', [0, 1]]]));
    expect(out.get('c')).toEqual({});
  });
});
