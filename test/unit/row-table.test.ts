import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import type { Detector } from '../../src/detectors/types';
import { KeyIndex } from '../../src/engine/key-index';
import { RowTable, type RowLayout } from '../../src/engine/row-table';
import { insertTailNumber, insertTailString, setTailNumber, setTailNumbers, setTailString, setTailStrings, spliceNumbers, spliceStrings, tailNumber } from '../../src/engine/row-tails';
import { blockClass, classSize } from '../../src/engine/tail-blocks';
import { SlottedState } from '../../src/engine/slotted-state';
import { compilePolicy } from '../../src/policy/compile';
import { messageEvent, T0 } from '../helpers/events';

/** A small deterministic generator (the tests replay the same steps every run); its high bits, the random ones. */
const lcg = (seed: number): ((n: number) => number) => {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.floor((s / 2147483648) * n);
  };
};

/** Two head numbers: a count (fresh 0) and a last time (fresh -Infinity). */
const LAYOUT: RowLayout = { width: 2, fresh: [0, Number.NEGATIVE_INFINITY] };

interface Row {
  head: number[];
  n: number[];
  s: string[];
}

/**
 * What a detector does to its row: counts, remembers the time, and now and then grows, shrinks or empties its tails
 * (coins 0 and 3–5 grow them, so tails pass through several block sizes before coin 1 empties them).
 */
function step(t: RowTable, now: number, coin: number): void {
  t.h[t.at] = (t.h[t.at] as number) + 1;
  t.h[t.at + 1] = now;
  if (coin === 0 || coin === 5) {
    insertTailNumber(t, t.nLength, now);
    insertTailString(t, t.sLength, `e${now}`);
  } else if (coin === 1) {
    setTailNumbers(t, []);
    setTailStrings(t, []);
  } else if (coin === 2 && t.nLength > 0) {
    // In place, where the tail holds entries.
    setTailNumber(t, 0, -now);
  } else if (coin === 3 && t.nLength > 1) {
    // One out of the middle.
    spliceNumbers(t, 1, 1, []);
    spliceStrings(t, t.sLength - 2, 1, []);
  } else if (coin === 4) {
    // Two in at the front.
    spliceNumbers(t, 0, 0, [now, now + 0.5]);
    spliceStrings(t, 0, 0, ['a', `f${now}`]);
  }
}

function modelStep(row: Row, now: number, coin: number): void {
  row.head = [(row.head[0] as number) + 1, now];
  if (coin === 0 || coin === 5) {
    row.n.push(now);
    row.s.push(`e${now}`);
  } else if (coin === 1) {
    row.n = [];
    row.s = [];
  } else if (coin === 2 && row.n.length > 0) {
    row.n[0] = -now;
  } else if (coin === 3 && row.n.length > 1) {
    row.n.splice(1, 1);
    row.s.splice(row.s.length - 2, 1);
  } else if (coin === 4) {
    row.n.unshift(now, now + 0.5);
    row.s.unshift('a', `f${now}`);
  }
}

const fresh = (): Row => ({ head: [...LAYOUT.fresh], n: [], s: [] });

describe('RowTable', () => {
  it('gives a new row the fresh head and empty tails, also a row handed out again', () => {
    const t = new RowTable(LAYOUT, 2);
    const a = t.alloc();
    t.seek(a);
    step(t, 5, 0);
    expect(t.view()).toEqual({ head: [1, 5], n: [5], s: ['e5'] });
    t.release(a);
    const b = t.alloc();
    expect(b).toBe(a);
    expect(t.seek(b).view()).toEqual(fresh());
    expect(t.size).toBe(1);
  });

  it("gives an emptied tail's block back, and hands it to the next tail of its size", () => {
    const t = new RowTable(LAYOUT, 4);
    const a = t.alloc();
    const b = t.alloc();
    spliceNumbers(t.seek(a), 0, 0, [1, 2, 3]);
    const first = t.ti;
    setTailNumbers(t, []);
    expect(t.tailRoom.n).toEqual({ end: 3, spare: 3 });
    spliceNumbers(t.seek(b), 0, 0, [4, 5, 6]);
    expect([t.ti, t.tailRoom.n]).toEqual([first, { end: 3, spare: 0 }]);
    // Reading past a tail's end gives the fallback, never a neighbour's number.
    expect([tailNumber(t.seek(a), 0, -1), tailNumber(t.seek(b), 3, -1), tailNumber(t, -1, -1)]).toEqual([-1, -1, -1]);
    // A released row's blocks go back too.
    t.release(b);
    expect(t.tailRoom).toEqual({ n: { end: 3, spare: 3 }, s: { end: 0, spare: 0 } });
  });

  it('sizes blocks in classes: exact up to 8, then at most a quarter spare', () => {
    for (let n = 1; n <= 5_000; n++) {
      const size = classSize(blockClass(n));
      expect(size).toBeGreaterThanOrEqual(n);
      // The class is the smallest that holds n.
      expect(classSize(blockClass(n) - 1)).toBeLessThan(n);
      if (n <= 8) expect(size).toBe(n);
      else expect(size).toBeLessThanOrEqual(Math.ceil(n * 1.25));
    }
  });

  it('keeps every row right through growth and reuse: a model of rows as a map', () => {
    const t = new RowTable(LAYOUT, 1);
    const model = new Map<number, Row>();
    const rand = lcg(7);
    let peak = 0;
    for (let now = 0; now < 30_000; now++) {
      const live = [...model.keys()];
      const pick = rand(10);
      if (pick === 0 || live.length === 0) {
        const row = t.alloc();
        expect(model.has(row)).toBe(false);
        model.set(row, fresh());
      } else if (pick === 1) {
        const row = live[rand(live.length)] as number;
        t.release(row);
        model.delete(row);
      } else {
        const row = live[rand(live.length)] as number;
        const coin = rand(6);
        step(t.seek(row), now, coin);
        modelStep(model.get(row) as Row, now, coin);
      }
      peak = Math.max(peak, model.size);
      if (now % 1_000 === 999) {
        for (const [row, want] of model) expect(t.seek(row).view()).toEqual(want);
        expect(t.size).toBe(model.size);
      }
    }
    // Released rows are handed out again: the table is sized by the most rows held at once.
    expect(t.rowCapacity).toBeLessThanOrEqual(2 ** Math.ceil(Math.log2(peak)));
    // No block is lost or given back twice: the tails' arrays are the live tails' blocks and the free ones.
    const room = (lengths: number[]): number => lengths.reduce((sum, length) => sum + (length === 0 ? 0 : classSize(blockClass(length))), 0);
    const rows = [...model.values()];
    const { n, s } = t.tailRoom;
    expect(n.end).toBe(n.spare + room(rows.map((row) => row.n.length)));
    expect(s.end).toBe(s.spare + room(rows.map((row) => row.s.length)));
    expect(n.end).toBeGreaterThan(0);
    expect(t.rowCapacity).toBeGreaterThan(1);
  });

  it('detaches a row as a copy, and adopts a detached row into a table', () => {
    const t = new RowTable(LAYOUT, 4);
    const row = t.alloc();
    step(t.seek(row), 10, 0);
    const copy = t.detach();
    step(t.seek(row), 11, 0);
    expect(copy.view()).toEqual({ head: [1, 10], n: [10], s: ['e10'] });
    expect(t.view()).toEqual({ head: [2, 11], n: [10, 11], s: ['e10', 'e11'] });
    const other = new RowTable(LAYOUT, 1);
    other.alloc();
    const adopted = other.adopt(copy);
    expect(adopted).toBe(1);
    expect(other.seek(adopted).view()).toEqual(copy.view());
    other.copyInto(0, t.seek(row));
    expect(other.seek(0).view()).toEqual(t.view());
  });

  it("keeps a row's object: no column until one is set, cleared with the row, kept through growth, copied on detach", () => {
    const layout: RowLayout<{ seen: string[] }> = { ...LAYOUT, copyObject: (o) => ({ seen: o.seen.slice() }) };
    const t = new RowTable(layout, 1);
    const rows = Array.from({ length: 3 }, () => t.alloc());
    expect(rows.map((r) => t.seek(r).o)).toEqual([undefined, undefined, undefined]);
    t.seek(rows[1] ?? 0).o = { seen: ['a'] };
    // Growth past the first rows keeps the object, and a new row has none.
    const more = Array.from({ length: 5 }, () => t.alloc());
    expect(t.seek(rows[1] ?? 0).o).toEqual({ seen: ['a'] });
    expect(more.map((r) => t.seek(r).o)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    // A detached row's object is a copy; copyInto and adopt share the decoded one they are given.
    const copy = t.seek(rows[1] ?? 0).detach();
    t.o?.seen.push('b');
    expect([t.o?.seen, copy.o?.seen]).toEqual([
      ['a', 'b'],
      ['a'],
    ]);
    const other = new RowTable(layout, 1);
    const adopted = other.adopt(copy);
    expect(other.seek(adopted).o).toBe(copy.o);
    // A released row's object goes; the row handed out again has none.
    t.release(rows[1] ?? 0);
    expect(t.alloc()).toBe(rows[1]);
    expect(t.seek(rows[1] ?? 0).o).toBeUndefined();
    // copyInto of a row without an object clears the one there.
    t.seek(rows[0] ?? 0).o = { seen: ['c'] };
    t.copyInto(rows[0] ?? 0, RowTable.single(layout));
    expect(t.seek(rows[0] ?? 0).o).toBeUndefined();
  });

  it('keeps integer cells beside the head: fresh for a new row, kept through growth, copied with the row', () => {
    const layout: RowLayout = { ...LAYOUT, ints: 2, freshInts: [-1, 0] };
    const t = new RowTable(layout, 1);
    const rows = Array.from({ length: 20 }, (_, i) => {
      const row = t.alloc();
      t.seek(row);
      t.g[t.gi + 1] = i;
      return row;
    });
    expect(rows.map((r) => t.seek(r).view().ints)).toEqual(rows.map((_, i) => [-1, i]));
    const copy = t.seek(rows[7] ?? 0).detach();
    t.g[t.gi] = 5;
    expect([copy.view().ints, t.view().ints]).toEqual([
      [-1, 7],
      [5, 7],
    ]);
    t.release(rows[3] ?? 0);
    expect(t.seek(t.alloc()).view().ints).toEqual([-1, 0]);
    expect(() => new RowTable({ ...LAYOUT, ints: 2, freshInts: [0] })).toThrow(/ints 2, fresh 1/);
  });

  it('refuses a layout whose fresh head is not as wide as it says', () => {
    expect(() => new RowTable({ width: 3, fresh: [0, 0] })).toThrow(/width 3, fresh 2/);
    expect(() => new RowTable({ width: 1.5, fresh: [0] })).toThrow(RangeError);
  });
});

describe('a store member kept in rows', () => {
  const store = (maxKeys: number): SlottedState => new SlottedState({ maxKeys, ttlMs: 1_000, members: 2, index: new KeyIndex(false), rows: [undefined, LAYOUT] });

  it('hands out its table positioned on the key row, and copies when it lists or restores', () => {
    const s = store(10);
    const a = s.touch('a', 1, 0, () => 'unused') as RowTable;
    expect(a).toBeInstanceOf(RowTable);
    step(a, 1, 0);
    step(s.touch('b', 1, 2, () => 'unused') as RowTable, 2, 3);
    expect((s.peek('a', 1) as RowTable).view()).toEqual({ head: [1, 1], n: [1], s: ['e1'] });
    const listed = [...s.all(1)];
    step(s.touch('a', 1, 3, () => 'unused') as RowTable, 3, 3);
    expect(listed.map((e) => [e.key, (e.state as RowTable).view().head])).toEqual([
      ['a', [1, 1]],
      ['b', [1, 2]],
    ]);
    s.restore('b', 1, (listed[0]?.state as RowTable).detach(), 4);
    s.restore('c', 1, (listed[1]?.state as RowTable).detach(), 4);
    expect((s.peek('b', 1) as RowTable).view()).toEqual({ head: [1, 1], n: [1], s: ['e1'] });
    expect((s.peek('c', 1) as RowTable).view().head).toEqual([1, 2]);
    expect(s.liveCount(1)).toBe(3);
    expect(() => s.restore('d', 1, { n: [], s: [] }, 4)).toThrow(/member 1 keeps rows of 2 numbers/);
    // The object member beside it is untouched by all this.
    expect(s.touch('a', 0, 5, () => 'object state')).toBe('object state');
  });

  it('gives rows back when keys expire, are evicted or cleared, so the table stays sized by what it holds', () => {
    const s = store(50);
    for (let t = 0; t < 20_000; t++) {
      const row = s.touch(`k${t}`, 1, t, () => 'unused') as RowTable;
      expect(row.view().head).toEqual([...LAYOUT.fresh]);
      step(row, t, 0);
      if (t % 100 === 99) s.sweep(t);
    }
    expect(s.liveCount(1)).toBe(50);
    // 20,000 keys went through, at most 50 at once: without rows given back, the table would have grown past 16,384.
    expect(s.rowCapacity(1)).toBe(1024);
    expect(s.rowCapacity(0)).toBe(0);
    s.clearMember(1);
    expect(s.liveCount(1)).toBe(0);
    expect(s.size).toBe(0);
  });
});

describe('a detector with rows in a pipeline', () => {
  /** Counts an account's messages in head number 0; onRestore marks head number 1, as a detector re-arming after a restore would. */
  const counting: Detector<RowTable> = {
    name: 'row_counter',
    eventTypes: ['message'],
    defaults: {},
    keyOf: (event) => event.accountId,
    stateTtlMs: () => 86_400_000,
    rows: { width: 2, fresh: [0, 0] },
    createState: () => RowTable.single({ width: 2, fresh: [0, 0] }),
    onEvent(state) {
      state.h[state.at] = (state.h[state.at] as number) + 1;
      return [];
    },
    onRestore(state) {
      state.h[state.at + 1] = 1;
    },
    codec: {
      encode: (state) => [state.h[state.at], state.h[state.at + 1]],
      decode: (data) => {
        const state = RowTable.single({ width: 2, fresh: [0, 0] });
        state.h.set(data as number[]);
        return state;
      },
    },
  };
  const pipeline = () => buildPipeline(compilePolicy(undefined, {}), { ...DEFAULT_PIPELINE_SETTINGS, trackChanges: true }, undefined, [counting]);
  const counts = (p: ReturnType<typeof pipeline>): unknown[] => p.snapshot().detectors.flatMap((d) => d.entries.map((e) => [e.key, e.data]));

  it('counts per key in the columns, and restores from a snapshot or a changelog with onRestore writing the store row', () => {
    const live = pipeline();
    for (let i = 0; i < 30; i++) live.process(messageEvent(`acct-${i % 3}`, T0 + i * 1000), 0);
    expect(counts(live)).toEqual([
      ['acct-0', [10, 0]],
      ['acct-1', [10, 0]],
      ['acct-2', [10, 0]],
    ]);
    const fromSnapshot = pipeline();
    fromSnapshot.restore(live.snapshot());
    expect(counts(fromSnapshot)).toEqual([
      ['acct-0', [10, 1]],
      ['acct-1', [10, 1]],
      ['acct-2', [10, 1]],
    ]);
    const changes = live.takeChanges();
    const fromChangelog = pipeline();
    const report = fromChangelog.restoreState({ keys: new Map(changes.keys.flatMap(([k, v]) => (v === null ? [] : [[k, v] as const]))), enforcer: { published: [], history: [] } }, 0);
    expect(report).toEqual({ keys: 3, slots: 3, dropped: 0 });
    fromChangelog.process(messageEvent('acct-1', T0 + 40_000), 0);
    expect(counts(fromChangelog)).toEqual([
      ['acct-0', [10, 1]],
      ['acct-2', [10, 1]],
      ['acct-1', [11, 1]],
    ]);
  });
});

describe("a row's tails", () => {
  it("refuse a write outside the tail, where the cell would be another row's", () => {
    const t = new RowTable(LAYOUT, 2);
    const a = t.alloc();
    const b = t.alloc();
    spliceNumbers(t.seek(a), 0, 0, [1, 2]);
    spliceNumbers(t.seek(b), 0, 0, [3, 4]);
    expect(() => setTailNumber(t.seek(a), 2, 9)).toThrow(/outside its 2 numbers/);
    expect(() => setTailString(t, 0, 'x')).toThrow(/outside its 0 strings/);
    expect(t.seek(b).view().n).toEqual([3, 4]);
  });
});
