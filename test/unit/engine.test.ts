import { EvidenceRing } from '../../src/engine/evidence-ring';
import { KeyedState } from '../../src/engine/keyed-state';
import { countEvent, newCounter } from '../../src/engine/tumbling-counter';
import { windowOf, windowStart } from '../../src/engine/window';

describe('tumbling windows', () => {
  it('align to the epoch, start inclusive and end exclusive', () => {
    expect(windowOf(3_600_000, 3_600_000)).toEqual({ start: 3_600_000, end: 7_200_000 });
    expect(windowStart(7_199_999, 3_600_000)).toBe(3_600_000);
    expect(windowStart(-1, 1000)).toBe(-1000);
  });

  it('count per window, restart in the next, and report events for a replaced window as late', () => {
    const c = newCounter();
    expect(countEvent(c, 1_000, 60_000)).toBe('counted');
    expect(countEvent(c, 59_999, 60_000)).toBe('counted');
    expect(c).toMatchObject({ windowStart: 0, count: 2 });
    c.fired = true;
    expect(countEvent(c, 60_000, 60_000)).toBe('counted');
    expect(c).toMatchObject({ windowStart: 60_000, count: 1, fired: false });
    expect(countEvent(c, 59_000, 60_000)).toBe('late');
    expect(c.count).toBe(1);
  });
});

describe('KeyedState', () => {
  it('evicts the least recently used key past its cap', () => {
    const evicted: string[] = [];
    const s = new KeyedState<{ n: number }>({ maxKeys: 2, ttlMs: 1e9, create: () => ({ n: 0 }), onEvict: (r) => evicted.push(r) });
    s.touch('a', 1).n = 1;
    s.touch('b', 2).n = 2;
    s.touch('a', 3);
    s.touch('c', 4);
    expect(s.size).toBe(2);
    expect(s.peek('b')).toBeUndefined();
    expect(s.peek('a')).toEqual({ n: 1 });
    expect(evicted).toEqual(['capacity']);
  });

  it('drops keys idle for longer than the TTL behind the watermark', () => {
    const s = new KeyedState<object>({ maxKeys: 10, ttlMs: 100, create: () => ({}) });
    s.touch('old', 0);
    s.touch('new', 150);
    expect(s.sweep(120)).toBe(1);
    expect(s.peek('old')).toBeUndefined();
    expect(s.peek('new')).toBeDefined();
    expect(s.sweep(240)).toBe(0);
  });
});

describe('Pipeline state TTL', () => {
  it('follows a policy reload that lengthens the windows', () => {
    const s = new KeyedState<object>({ maxKeys: 10, ttlMs: 100, create: () => ({}) });
    s.touch('a', 0);
    s.setTtl(1000);
    expect(s.sweep(500)).toBe(0);
    expect(s.sweep(1001)).toBe(1);
  });
});

describe('EvidenceRing', () => {
  it('keeps the latest ids and filters by time', () => {
    const ring = new EvidenceRing(3);
    for (let i = 1; i <= 5; i++) ring.push(`e${i}`, i * 10);
    expect(ring.since(0)).toEqual(['e3', 'e4', 'e5']);
    expect(ring.since(40)).toEqual(['e4', 'e5']);
  });
});
