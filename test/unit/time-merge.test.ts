import { TimeMerge } from '../../src/engine/time-merge';

/** Sources of one partition leave in event-time order, with a hand-moved processing clock. */
describe('TimeMerge', () => {
  const options = { maxBuffered: 5, idleMs: 1000 };
  const drained = (m: TimeMerge<string>, now: number): string[] => {
    const out: string[] = [];
    m.drain(now, (source, item) => out.push(`${source}:${item}`));
    return out;
  };

  it('interleaves two backlogged topics by event time instead of batch after batch', () => {
    const m = new TimeMerge<string>(['calls', 'messages'], options, 0);
    m.add('calls', ['c1', 'c2', 'c3'], [10, 20, 30], true, 0);
    m.add('messages', ['m1', 'm2', 'm3'], [5, 15, 25], true, 0);
    expect(drained(m, 0)).toEqual(['messages:m1', 'calls:c1', 'messages:m2', 'calls:c2', 'messages:m3', 'calls:c3']);
  });

  it('keeps each topic in offset order even when its own times are out of order', () => {
    const m = new TimeMerge<string>(['calls', 'messages'], options, 0);
    m.add('calls', ['c1', 'c2'], [30, 10], true, 0);
    m.add('messages', ['m1'], [20], true, 0);
    expect(drained(m, 0)).toEqual(['messages:m1', 'calls:c1', 'calls:c2']);
  });

  it('waits for a topic that has more to fetch, and goes on when its records come', () => {
    const m = new TimeMerge<string>(['calls', 'messages'], options, 0);
    m.add('calls', ['c1', 'c2', 'c3'], [10, 20, 30], true, 0);
    expect(drained(m, 0)).toEqual([]);
    m.add('messages', ['m1'], [15], false, 10);
    // messages may still hold records older than calls' 20: it is empty again after m1, so calls waits.
    expect(drained(m, 10)).toEqual(['calls:c1', 'messages:m1']);
    m.add('messages', ['m2'], [40], true, 20);
    expect(drained(m, 20)).toEqual(['calls:c2', 'calls:c3', 'messages:m2']);
    expect(m.buffered('calls')).toBe(0);
  });

  it('does not wait for a topic that is caught up, or quiet for longer than the idle time', () => {
    const m = new TimeMerge<string>(['calls', 'messages', 'reports'], options, 0);
    m.setCaughtUp('reports', true, 0);
    m.add('calls', ['c1'], [10], true, 0);
    expect(drained(m, 500)).toEqual([]);
    expect(drained(m, 999)).toEqual([]);
    expect(drained(m, 1000)).toEqual(['calls:c1']);
  });

  it('lets an item without a time through at once, even while waiting', () => {
    const m = new TimeMerge<string>(['calls', 'messages'], options, 0);
    m.add('calls', ['bad', 'c1'], [Number.NEGATIVE_INFINITY, 10], false, 0);
    expect(drained(m, 0)).toEqual(['calls:bad']);
  });

  it('reports a topic as full at maxBuffered, so the edge can stop fetching it', () => {
    const m = new TimeMerge<string>(['calls', 'messages'], options, 0);
    m.add('calls', ['a', 'b', 'c', 'd'], [1, 2, 3, 4], false, 0);
    expect(m.full('calls')).toBe(false);
    m.add('calls', ['e'], [5], false, 0);
    expect(m.full('calls')).toBe(true);
    m.add('messages', ['m'], [3], true, 0);
    drained(m, 0);
    expect(m.buffered('calls')).toBe(0);
    expect(m.full('calls')).toBe(false);
  });

  it('names a source it does not know, and refuses items without times', () => {
    const m = new TimeMerge<string>(['calls'], options, 0);
    expect(() => m.add('faxes', ['x'], [1], true, 0)).toThrow('unknown source faxes');
    expect(() => m.add('calls', ['x', 'y'], [1], true, 0)).toThrow('2 items but 1 times');
  });
});
