import { DuplicateFilter, tumbling, WindowedAggregate, type DuplicateFilterData } from '../../src/engine/windows';

/** The ring's ids, oldest first: the order in which they will be forgotten. */
const oldestFirst = (d: DuplicateFilterData): string[] => [...d.ids.slice(d.next), ...d.ids.slice(0, d.next)];

describe('duplicate filter', () => {
  it('says new the first time an id is seen and duplicate after', () => {
    const f = new DuplicateFilter(3);
    expect(f.check('a')).toBe('new');
    expect(f.check('a')).toBe('duplicate');
    expect(f.check('b')).toBe('new');
    expect(f.has('b')).toBe(true);
    expect(f.has('c')).toBe(false);
    expect(f.size).toBe(2);
  });

  it('remembers only the last `capacity` distinct ids, forgetting the oldest first', () => {
    const f = new DuplicateFilter(3);
    for (const id of ['a', 'b', 'c', 'd']) expect(f.check(id)).toBe('new');
    expect(f.size).toBe(3);
    expect(f.has('a')).toBe(false);
    expect(['b', 'c', 'd'].map((id) => f.check(id))).toEqual(['duplicate', 'duplicate', 'duplicate']);
    // Forgotten: taken as new again, and it pushes out the next oldest.
    expect(f.check('a')).toBe('new');
    expect(f.has('b')).toBe(false);
    expect(f.size).toBe(3);
  });

  it('a duplicate does not refresh its id or use up room', () => {
    const f = new DuplicateFilter(2);
    f.check('a');
    f.check('b');
    expect(f.check('a')).toBe('duplicate');
    f.check('c');
    expect(f.has('a')).toBe(false);
    expect(f.has('b')).toBe(true);
  });

  it('stays bounded over many ids', () => {
    const f = new DuplicateFilter(100);
    for (let i = 0; i < 10_000; i++) f.check(`id-${i}`);
    expect(f.size).toBe(100);
    expect(f.toData().ids).toHaveLength(100);
    expect(f.has('id-9899')).toBe(false);
    expect(f.has('id-9900')).toBe(true);
  });

  it('round-trips through plain data and forgets in the same order afterwards', () => {
    const f = new DuplicateFilter(3);
    for (const id of ['a', 'b', 'c', 'd', 'e']) f.check(id);
    const data = structuredClone(f.toData());
    const g = DuplicateFilter.fromData(data);
    for (const id of ['c', 'd', 'e']) expect(g.check(id)).toBe('duplicate');
    for (const filter of [f, g]) filter.check('x');
    expect(oldestFirst(g.toData())).toEqual(oldestFirst(f.toData()));
    expect(oldestFirst(g.toData())).toEqual(['d', 'e', 'x']);
    expect(g.has('c')).toBe(false);
    expect(g.has('d')).toBe(true);
  });

  it('restores into a different capacity keeping the newest ids', () => {
    const f = new DuplicateFilter(4);
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) f.check(id);
    const smaller = DuplicateFilter.fromData(f.toData(), 2);
    expect(['c', 'd', 'e', 'f'].map((id) => smaller.has(id))).toEqual([false, false, true, true]);
    const larger = DuplicateFilter.fromData(f.toData(), 10);
    expect(['c', 'd', 'e', 'f'].map((id) => larger.has(id))).toEqual([true, true, true, true]);
    expect(DuplicateFilter.fromData(new DuplicateFilter(5).toData()).size).toBe(0);
  });

  it('refuses a capacity below one', () => {
    expect(() => new DuplicateFilter(0)).toThrow(RangeError);
    expect(() => new DuplicateFilter(2.5)).toThrow(RangeError);
  });

  it('makes an at-least-once redelivery after a restart harmless to a window count', () => {
    const counts = new WindowedAggregate<number, unknown>({ assigner: tumbling(60_000), graceMs: 0, create: () => 0, add: (n) => n + 1 });
    const state = counts.empty();
    const filter = new DuplicateFilter(1000);
    const batch = Array.from({ length: 10 }, (_, i) => ({ id: `call-${i}`, t: 1000 + i }));
    for (const e of batch.slice(0, 7)) if (filter.check(e.id) === 'new') counts.add(state, e.t, null, e.t);
    // Crash before the commit: state and filter come back from the changelog, the whole batch is delivered again.
    const restoredState = structuredClone(state);
    const restoredFilter = DuplicateFilter.fromData(structuredClone(filter.toData()));
    for (const e of batch) if (restoredFilter.check(e.id) === 'new') counts.add(restoredState, e.t, null, e.t);
    expect(counts.close(restoredState, 60_000)).toEqual([{ start: 0, end: 60_000, aggregate: 10, reason: 'final' }]);
  });
});
