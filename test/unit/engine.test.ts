import { EvidenceRing } from '../../src/engine/evidence-ring';
import { SlottedState } from '../../src/engine/slotted-state';
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

describe('SlottedState', () => {
  const store = (maxKeys: number, ttlMs: number, evicted: string[] = []) =>
    new SlottedState({ maxKeys, ttlMs, members: 2, onEvict: (m, reason, n) => evicted.push(`${m}:${reason}:${n}`) });

  it('evicts the least recently used key past its cap, with every detector slot in it', () => {
    const evicted: string[] = [];
    const s = store(2, 1e9, evicted);
    (s.touch('a', 0, 1, () => ({ n: 0 })) as { n: number }).n = 1;
    s.touch('a', 1, 1, () => ({ m: 1 }));
    s.touch('b', 0, 2, () => ({ n: 2 }));
    s.touch('a', 0, 3, () => ({ n: 0 }));
    s.touch('c', 0, 4, () => ({ n: 3 }));
    expect(s.size).toBe(2);
    expect(s.peek('b', 0)).toBeUndefined();
    expect(s.peek('a', 0)).toEqual({ n: 1 });
    expect(evicted).toEqual(['0:capacity:1']);
    expect([s.liveCount(0), s.liveCount(1)]).toEqual([2, 1]);
  });

  it("keeps a member's states right when its first comes late, after the slots have grown, and through more growth", () => {
    const s = store(100_000, 1e9);
    // Member 1 holds nothing while 5,000 keys fill member 0 (its column is made only at its first state).
    for (let i = 0; i < 5_000; i++) s.touch(`k${i}`, 0, i, () => ({ i }));
    expect(s.peek('k4999', 1)).toBeUndefined();
    s.touch('k4999', 1, 5_000, () => ({ late: 4999 }));
    s.restore('k17', 1, { restored: 17 }, 5_001);
    for (let i = 5_000; i < 20_000; i++) s.touch(`k${i}`, i % 2, i, () => ({ i }));
    expect([s.peek('k4999', 1), s.peek('k17', 1), s.peek('k19999', 1), s.peek('k19998', 1)]).toEqual([{ late: 4999 }, { restored: 17 }, { i: 19_999 }, undefined]);
    expect([s.peek('k4999', 0), s.peek('k17', 0)]).toEqual([{ i: 4999 }, { i: 17 }]);
    expect([s.liveCount(0), s.liveCount(1)]).toEqual([12_500, 7_502]);
  });

  it('shares one entry per key between detectors, each with its own state', () => {
    const s = store(10, 1e9);
    const first = s.touch('acct', 0, 1, () => ({ who: 'zero' }));
    const second = s.touch('acct', 1, 1, () => ({ who: 'one' }));
    expect(s.size).toBe(1);
    expect(first).not.toBe(second);
    expect(s.touch('acct', 0, 2, () => ({ who: 'new' }))).toBe(first);
  });

  it('drops keys idle for longer than the TTL behind the watermark, and follows a new TTL', () => {
    const evicted: string[] = [];
    const s = store(10, 100, evicted);
    s.touch('old', 0, 0, () => ({}));
    s.touch('old', 1, 0, () => ({}));
    s.touch('new', 0, 150, () => ({}));
    expect(s.sweep(120)).toBe(1);
    expect(s.peek('old', 0)).toBeUndefined();
    expect(evicted).toEqual(['0:ttl:1', '1:ttl:1']);
    s.setTtl(1000);
    expect(s.sweep(1000)).toBe(0);
    expect(s.sweep(1151)).toBe(1);
  });

  it('restores and clears one detector without touching the others', () => {
    const s = store(10, 1e9);
    s.touch('a', 0, 1, () => ({ zero: true }));
    s.restore('a', 1, { one: true }, 5);
    s.restore('b', 1, { one: 'b' }, 6);
    expect([...s.all(1)].map((e) => [e.key, e.lastEventTime])).toEqual([['a', 5], ['b', 6]]);
    s.clearMember(1);
    expect([...s.all(1)]).toEqual([]);
    expect(s.peek('a', 0)).toEqual({ zero: true });
    expect(s.size).toBe(1);
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
