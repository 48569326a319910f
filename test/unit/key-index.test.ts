import { KeyIndex, lifetimeOf, markOf, type IndexedEntry } from '../../src/engine/key-index';
import { SlottedState, type SlotEntry } from '../../src/engine/slotted-state';

class Entry implements IndexedEntry<Entry> {
  sibling: Entry | undefined = undefined;
  mark: number;
  constructor(
    readonly key: string,
    lifetime: number,
  ) {
    this.mark = markOf(lifetime);
  }
  get lifetime(): number {
    return lifetimeOf(this);
  }
}

const chain = (index: KeyIndex<Entry>, key: string): number[] => {
  const out: number[] = [];
  for (let e = index.head(key); e !== undefined; e = e.sibling) out.push(e.lifetime);
  return out;
};

describe('KeyIndex', () => {
  it("keeps a key's entries in lifetime order, whatever order they came in, and drops the key with its last entry", () => {
    const index = new KeyIndex<Entry>(false);
    const [two, zero, one] = [new Entry('a', 2), new Entry('a', 0), new Entry('a', 1)];
    index.insert(two);
    index.insert(zero);
    index.insert(one);
    index.insert(new Entry('b', 1));
    expect(chain(index, 'a')).toEqual([0, 1, 2]);
    expect(index.keys).toBe(2);
    expect(index.find('a', 1)).toBe(one);
    index.remove(one);
    expect(chain(index, 'a')).toEqual([0, 2]);
    index.remove(zero);
    expect(chain(index, 'a')).toEqual([2]);
    expect(index.find('a', 0)).toBeUndefined();
    index.remove(two);
    expect(index.head('a')).toBeUndefined();
    expect(index.keys).toBe(1);
  });

  it('hands each changed key to drain() once, with its entries, however often it was touched', () => {
    const index = new KeyIndex<Entry>(true);
    const a0 = new Entry('a', 0);
    const a1 = new Entry('a', 1);
    const b0 = new Entry('b', 0);
    for (const e of [a0, a1, b0]) index.insert(e);
    for (const e of [a0, a1, a0, b0, a1]) index.touched(e);
    const seen: [string, number[]][] = [];
    index.drain((key) => seen.push([key, chain(index, key)]));
    expect(seen).toEqual([
      ['a', [0, 1]],
      ['b', [0]],
    ]);
    // Drained: flags are down, so the next touch counts again.
    index.drain(() => {
      throw new Error('nothing changed');
    });
    index.touched(a1);
    index.remove(b0);
    index.keyChanged('b');
    const again: [string, boolean][] = [];
    index.drain((key, head) => again.push([key, head !== undefined]));
    expect(again).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });

  it('tracks nothing when changes are not tracked', () => {
    const index = new KeyIndex<Entry>(false);
    const e = new Entry('a', 0);
    index.insert(e);
    index.touched(e);
    expect(e.mark).toBe(markOf(0));
    index.drain(() => {
      throw new Error('not tracked');
    });
  });

  it('answers as a map of maps would, through any mix of inserts, removes and lookups (the remembered chains stay right)', () => {
    const index = new KeyIndex<Entry>(false);
    const model = new Map<string, Map<number, Entry>>();
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let step = 0; step < 20_000; step++) {
      const key = `k${rand(6)}`;
      const lifetime = rand(3);
      const held = model.get(key)?.get(lifetime);
      const op = rand(3);
      if (op === 0 && held === undefined) {
        const e = new Entry(key, lifetime);
        index.insert(e);
        const m = model.get(key) ?? new Map<number, Entry>();
        m.set(lifetime, e);
        model.set(key, m);
      } else if (op === 1 && held !== undefined) {
        index.remove(held);
        model.get(key)?.delete(lifetime);
        if (model.get(key)?.size === 0) model.delete(key);
      }
      expect(index.find(key, lifetime)).toBe(model.get(key)?.get(lifetime));
      expect(chain(index, key)).toEqual([...(model.get(key)?.keys() ?? [])].sort());
    }
    expect(index.keys).toBe(model.size);
  });
});

describe('stores sharing a KeyIndex', () => {
  const pair = (): { index: KeyIndex<SlotEntry>; short: SlottedState; long: SlottedState; evicted: string[] } => {
    const index = new KeyIndex<SlotEntry>(true);
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
      index.drain((key, head) => keys.push(`${key}:${head === undefined ? '-' : String(head.lifetime)}`));
      return keys;
    };
    expect(drained()).toEqual(['acct:0', 'dev:1']);
    short.touch('other', 0, 150, () => ({}));
    short.sweep(150);
    expect(drained()).toEqual(['other:0', 'acct:1']);
    long.markChanged('dev');
    expect(drained()).toEqual(['dev:1']);
  });
});
