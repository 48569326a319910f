import { KeyIndex, NO_ID } from '../../src/engine/key-index';
import { SlottedState } from '../../src/engine/slotted-state';

/** A small deterministic generator (the tests replay the same steps every run); its high bits, the random ones. */
const lcg = (seed: number): ((n: number) => number) => {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.floor((s / 2147483648) * n);
  };
};

const lifetimesOf = (index: KeyIndex, key: string): number[] => {
  const id = index.find(key);
  if (id === NO_ID) return [];
  return [0, 1, 2, 3].filter((l) => (index.lifetimes(id) & (1 << l)) !== 0);
};

describe('KeyIndex', () => {
  it('gives a key one id for all its lifetimes, and frees it with its last one', () => {
    const index = new KeyIndex(false);
    const a = index.idFor('a');
    expect(index.idFor('a')).toBe(a);
    index.enter(a, 2);
    index.enter(a, 0);
    const b = index.idFor('b');
    index.enter(b, 1);
    expect(b).not.toBe(a);
    expect(lifetimesOf(index, 'a')).toEqual([0, 2]);
    expect(index.lifetimes(a)).toBe(0b101);
    expect(index.keyAt(a)).toBe('a');
    expect(index.keys).toBe(2);
    index.leave(a, 0);
    expect(index.find('a')).toBe(a);
    index.leave(a, 2);
    expect(index.find('a')).toBe(NO_ID);
    expect(index.keys).toBe(1);
    // The freed id is handed out again before a new one.
    expect(index.idFor('c')).toBe(a);
    expect(index.lifetimes(a)).toBe(0);
  });

  it('hands each changed key to drain() once, with its id or NO_ID once gone', () => {
    const index = new KeyIndex(true);
    const a = index.idFor('a');
    const b = index.idFor('b');
    index.enter(a, 0);
    index.enter(a, 1);
    index.enter(b, 0);
    for (const id of [a, a, b, a]) index.touched(id);
    const seen: [string, number][] = [];
    index.drain((key, id) => seen.push([key, id]));
    expect(seen).toEqual([
      ['a', a],
      ['b', b],
    ]);
    // Drained: flags are down, so the next touch counts again.
    index.drain(() => {
      throw new Error('nothing changed');
    });
    index.touched(b);
    index.touched(a);
    index.leave(b, 0);
    index.keyChanged('b');
    const again: [string, number][] = [];
    index.drain((key, id) => again.push([key, id]));
    expect(again.sort()).toEqual([
      ['a', a],
      ['b', NO_ID],
    ]);
  });

  it('does not carry a changed flag over to the next key given a freed id', () => {
    const index = new KeyIndex(true);
    const a = index.idFor('a');
    index.enter(a, 0);
    index.touched(a);
    index.leave(a, 0);
    index.keyChanged('a');
    const c = index.idFor('c');
    expect(c).toBe(a);
    index.enter(c, 0);
    index.touched(c);
    const seen: string[] = [];
    index.drain((key, id) => seen.push(`${key}:${id === NO_ID ? '-' : 'id'}`));
    expect(seen.sort()).toEqual(['a:-', 'c:id']);
  });

  it('drains what a set of changed key names would, once each, through any mix of touches, leaves and freed ids', () => {
    const index = new KeyIndex(true);
    const rand = lcg(777);
    // The model: the names changed since the last drain, and each live key's lifetimes.
    const changed = new Set<string>();
    const live = new Map<string, Set<number>>();
    for (let step = 0; step < 40_000; step++) {
      const key = `k${rand(40)}`;
      const lifetime = rand(2);
      const op = rand(10);
      if (op < 4) {
        const id = index.idFor(key);
        index.enter(id, lifetime);
        live.set(key, (live.get(key) ?? new Set()).add(lifetime));
        index.touched(id);
        changed.add(key);
      } else if (op < 7 && live.get(key)?.has(lifetime) === true) {
        index.leave(index.find(key), lifetime);
        live.get(key)?.delete(lifetime);
        if (live.get(key)?.size === 0) live.delete(key);
        // Half the time as a store's drop does it (the key is changed); half the time nothing is said, as when a
        // restore clears a store: a key changed before it went is still drained, with NO_ID.
        if (rand(2) === 0) {
          index.keyChanged(key);
          changed.add(key);
        }
      } else if (op === 9) {
        const seen: string[] = [];
        index.drain((k, id) => {
          seen.push(k);
          expect(id).toBe(index.find(k));
          expect(id === NO_ID).toBe(!live.has(k));
        });
        expect(seen.sort()).toEqual([...changed].sort());
        changed.clear();
      }
    }
  });

  it('tracks nothing when changes are not tracked', () => {
    const index = new KeyIndex(false);
    const a = index.idFor('a');
    index.enter(a, 0);
    index.touched(a);
    index.keyChanged('a');
    index.drain(() => {
      throw new Error('not tracked');
    });
  });

  it('answers as a map of sets would through any mix of enters, leaves and lookups, past several growths', () => {
    const index = new KeyIndex(true);
    const grown: number[] = [];
    index.onGrow((n) => grown.push(n));
    const model = new Map<string, Set<number>>();
    const rand = lcg(12345);
    for (let step = 0; step < 60_000; step++) {
      // Mostly a few hot keys (the remembered ids), sometimes one of thousands (growth, reuse).
      const key = rand(4) === 0 ? `cold${rand(3000)}` : `k${rand(6)}`;
      const lifetime = rand(3);
      const held = model.get(key)?.has(lifetime) === true;
      // Three enters to a leave: the population grows past the first capacities before it settles.
      const op = rand(4);
      if (op < 3 && !held) {
        index.enter(index.idFor(key), lifetime);
        model.set(key, (model.get(key) ?? new Set()).add(lifetime));
      } else if (op === 3 && held) {
        index.leave(index.find(key), lifetime);
        model.get(key)?.delete(lifetime);
        if (model.get(key)?.size === 0) model.delete(key);
      }
      expect(lifetimesOf(index, key)).toEqual([...(model.get(key) ?? [])].sort());
      const id = index.find(key);
      if (id !== NO_ID) {
        expect(index.keyAt(id)).toBe(key);
        expect(id).toBeLessThan(index.capacity);
      }
    }
    expect(index.keys).toBe(model.size);
    expect(grown.length).toBeGreaterThan(0);
    expect(grown[grown.length - 1]).toBe(index.capacity);
  });
});

describe('stores sharing a KeyIndex', () => {
  const pair = (): { index: KeyIndex; short: SlottedState; long: SlottedState; evicted: string[] } => {
    const index = new KeyIndex(true);
    const evicted: string[] = [];
    const onEvict = (name: string) => (member: number, reason: string, n: number) => evicted.push(`${name}${member}:${reason}:${n}`);
    return {
      index,
      short: new SlottedState({ maxKeys: 2, ttlMs: 100, members: 1, index, lifetime: 0, onEvict: onEvict('short') }),
      long: new SlottedState({ maxKeys: 10, ttlMs: 10_000, members: 2, index, lifetime: 1, onEvict: onEvict('long') }),
      evicted,
    };
  };

  it('hold one key once, each store with its own slots, size, TTL and cap', () => {
    const { index, short, long, evicted } = pair();
    short.touch('acct', 0, 0, () => ({ short: true }));
    long.touch('acct', 1, 0, () => ({ long: true }));
    expect(index.keys).toBe(1);
    expect([short.size, long.size]).toEqual([1, 1]);
    short.touch('other', 0, 150, () => ({}));
    expect(short.sweep(150)).toBe(1);
    expect(short.peek('acct', 0)).toBeUndefined();
    expect(long.peek('acct', 1)).toEqual({ long: true });
    expect(index.keys).toBe(2);
    short.touch('x', 0, 151, () => ({}));
    short.touch('y', 0, 152, () => ({}));
    expect(short.peek('other', 0)).toBeUndefined();
    expect(evicted).toEqual(['short0:ttl:1', 'short0:capacity:1']);
  });

  it('report a key changed when any store touches or drops it, once per drain', () => {
    const { index, short, long } = pair();
    short.touch('acct', 0, 0, () => ({}));
    long.touch('acct', 0, 0, () => ({}));
    long.touch('acct', 1, 0, () => ({}));
    long.touch('dev', 0, 0, () => ({}));
    const drained = (): string[] => {
      const keys: string[] = [];
      index.drain((key, id) => keys.push(`${key}:${lifetimesOf(index, key).join('+') || '-'}:${id === index.find(key) ? 'same' : 'stale'}`));
      return keys;
    };
    expect(drained()).toEqual(['acct:0+1:same', 'dev:1:same']);
    short.touch('other', 0, 150, () => ({}));
    short.sweep(150);
    expect(drained()).toEqual(['other:0:same', 'acct:1:same']);
    long.markChanged('dev');
    expect(drained()).toEqual(['dev:1:same']);
  });

  it('keep every state right through growth and freed ids: a model of each store as a map in recency order', () => {
    const index = new KeyIndex(false);
    const ttls = [500, 5_000];
    const caps = [700, 3_000];
    const stores = ttls.map((ttlMs, lifetime) => new SlottedState({ maxKeys: caps[lifetime] as number, ttlMs, members: 2, index, lifetime }));
    /** Per store: key → [last event time, states by member]; Map order is recency order, oldest first. */
    const models = ttls.map(() => new Map<string, [number, (string | undefined)[]]>());
    const rand = lcg(99);
    let now = 0;
    for (let step = 0; step < 40_000; step++) {
      now += rand(3);
      const lifetime = rand(2);
      const store = stores[lifetime] as SlottedState;
      const model = models[lifetime] as Map<string, [number, (string | undefined)[]]>;
      const key = `k${rand(5_000)}`;
      const member = rand(2);
      const got = store.touch(key, member, now, () => `${key}/${lifetime}/${member}@${now}`);
      const held = model.get(key) ?? [now, [undefined, undefined]];
      model.delete(key);
      if (model.size >= (caps[lifetime] as number) && held[1].every((s) => s === undefined)) {
        const [oldest] = model.keys();
        if (oldest !== undefined) model.delete(oldest);
      }
      held[0] = Math.max(held[0], now);
      held[1][member] ??= `${key}/${lifetime}/${member}@${now}`;
      model.set(key, held);
      expect(got).toBe(held[1][member]);
      if (step % 1_000 === 999) {
        stores.forEach((s, l) => {
          s.sweep(now);
          const m = models[l] as Map<string, [number, (string | undefined)[]]>;
          for (const [k, [t]] of m) {
            if (t >= now - (ttls[l] as number)) break;
            m.delete(k);
          }
        });
        stores.forEach((s, l) => {
          const m = models[l] as Map<string, [number, (string | undefined)[]]>;
          expect(s.size).toBe(m.size);
          for (const member of [0, 1]) {
            const want = [...m].filter(([, [, st]]) => st[member] !== undefined).map(([k, [t, st]]) => [k, t, st[member]]);
            expect([...s.all(member)].map((e) => [e.key, e.lastEventTime, e.state])).toEqual(want);
            expect(s.liveCount(member)).toBe(want.length);
          }
        });
        const keys = new Set([...models.flatMap((m) => [...m.keys()])]);
        expect(index.keys).toBe(keys.size);
      }
    }
    expect(index.capacity).toBeGreaterThan(1024);
    // Slots of dropped entries are used again: a store's columns are sized by what it held at once, not by turnover.
    expect(stores.map((s) => s.slotCapacity)).toEqual([1024, 4096]);
  });
});
