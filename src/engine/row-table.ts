/**
 * Per-key state kept in columns instead of an object per key: the state of a
 * detector that declares a RowLayout. Each key's state is a row: a fixed
 * head of `width` numbers in one Float64Array shared by every row, and a
 * variable tail of numbers (`n` in the layouts' comments) and one of strings
 * (`s`): rings, lists, absent while empty. The tails are blocks of two long
 * arrays shared by every row (`t` and `u`, tail-blocks.ts), read and changed
 * through row-tails.ts.
 *
 * Why: at a million accounts a small state object costs its wrapper, two
 * arrays and their backing stores (about 120 bytes before its first number),
 * and the collector marks and promotes each of them. A row costs its numbers
 * (8 bytes each), four 32-bit cells for where its tails are, and their
 * elements.
 *
 * A layout may also give each row `ints` 32-bit integer cells, in an
 * Int32Array beside the head (`g`, the current row's from `gi`): flags,
 * counts, ring positions and lengths, which need no double. Half the bytes,
 * and the heads are the largest part of an account's state.
 *
 * A RowTable is also the state a detector reads and writes: it is positioned
 * on one row (`at`, and the tails of that row) by whoever hands it out, so
 * one object serves every key. A positioned table is valid until the table is
 * positioned again: read and write it during the call that received it, never
 * keep it. A table of one row (RowTable.single) is a state of its own, as
 * createState and a codec's decode return.
 *
 * A row may also hold one object (`o`): the place for parts too irregular for
 * a tail and too rare to pay a column of numbers for (bulk messaging's
 * templates and reports). Its column is made when the first row sets one, so
 * a detector that never does pays nothing for it.
 */
import { lengthen, lengthenArray } from './columns';
import { BlockSpace, blockClass } from './tail-blocks';

export interface RowLayout<O = unknown> {
  /** Numbers in each row's head. */
  readonly width: number;
  /** A fresh row's head: `width` numbers. */
  readonly fresh: readonly number[];
  /** 32-bit integer cells in each row (none when absent), and a fresh row's values of them. */
  readonly ints?: number;
  readonly freshInts?: readonly number[];
  /**
   * A copy of a row's object that later changes to it do not touch, for detach(). Needed by a layout whose rows
   * hold objects they change in place; without it, detach() shares the object.
   */
  copyObject?(o: O): O;
}

export class RowTable<O = unknown> {
  /** Every row's head, `width` numbers per row; the current row's starts at `at`. */
  h: Float64Array;
  at = 0;
  /** Every row's integer cells, `ints` per row; the current row's start at `gi`. */
  g: Int32Array;
  gi = 0;
  /**
   * Every row's tail of numbers, in blocks (tail-blocks.ts); the current row's starts at `ti` and holds `nLength`.
   * Replaced by a longer array when a tail needs room past its end: read `t` again after changing a tail's length.
   */
  t: Float64Array;
  ti = 0;
  /** Every row's tail of strings, as `t`: the current row's starts at `ui` and holds `sLength`. */
  u: string[];
  ui = 0;
  private readonly ints: number;
  private readonly freshInts: Int32Array;
  private row = 0;
  /** By row: where its tails' blocks start and how long the tails are (0: empty, no block). */
  private nAt: Int32Array;
  private nLen: Int32Array;
  private sAt: Int32Array;
  private sLen: Int32Array;
  private readonly nSpace = new BlockSpace();
  private readonly sSpace = new BlockSpace();
  /** By row: its object; undefined until some row sets one (then as long as the other columns). */
  private objects: (O | undefined)[] | undefined = undefined;
  /** Rows given back, handed out again first; then rows from `used` on. */
  private readonly freeRows: number[] = [];
  private used = 0;

  constructor(
    readonly layout: RowLayout<O>,
    capacity = 1024,
  ) {
    if (!(Number.isInteger(layout.width) && layout.width >= 0) || layout.fresh.length !== layout.width) {
      throw new RangeError(`a row layout needs a whole width and as many fresh numbers (width ${layout.width}, fresh ${layout.fresh.length})`);
    }
    this.ints = layout.ints ?? 0;
    if (!(Number.isInteger(this.ints) && this.ints >= 0) || (layout.freshInts?.length ?? 0) !== this.ints) {
      throw new RangeError(`a row layout needs a whole number of ints and as many fresh ints (ints ${this.ints}, fresh ${layout.freshInts?.length ?? 0})`);
    }
    this.freshInts = Int32Array.from(layout.freshInts ?? []);
    const rows = Math.max(1, capacity);
    this.h = new Float64Array(rows * layout.width);
    this.g = new Int32Array(rows * this.ints);
    this.nAt = new Int32Array(rows);
    this.nLen = new Int32Array(rows);
    this.sAt = new Int32Array(rows);
    this.sLen = new Int32Array(rows);
    // The tails' arrays start small and double as blocks are handed out: most layouts' rows hold a few elements.
    this.t = new Float64Array(Math.min(rows, 1024) * 2);
    this.u = new Array<string>(Math.min(rows, 1024) * 2).fill('');
  }

  /** A fresh state of its own: a table of one row, positioned on it. */
  static single<O>(layout: RowLayout<O>): RowTable<O> {
    const table = new RowTable<O>(layout, 1);
    table.seek(table.alloc());
    return table;
  }

  /** How many numbers the current row's tail holds (from `ti` in `t`). */
  get nLength(): number {
    return this.nLen[this.row] as number;
  }

  /** How many strings the current row's tail holds (from `ui` in `u`). */
  get sLength(): number {
    return this.sLen[this.row] as number;
  }

  /**
   * Changes the current row's tail of numbers: `remove` numbers from `i` go, and `insert` cells open there, 0 until
   * written (the caller writes them: `t[ti + i …]`). The tail may move, and `t` be replaced: `ti` and `t` are
   * current again on return.
   */
  spliceN(i: number, remove: number, insert: number): void {
    const row = this.row;
    const length = this.nLen[row] as number;
    const start = this.nAt[row] as number;
    const next = length - remove + insert;
    if (next > 0 && length > 0 && (next === length || blockClass(next) === blockClass(length))) {
      const t = this.t;
      // Most changes append one or take one from the end: nothing after them to move.
      if (insert !== remove && i + remove < length) t.copyWithin(start + i + insert, start + i + remove, start + length);
      for (let j = start + i; j < start + i + insert; j++) t[j] = 0;
    } else {
      const to = next === 0 ? 0 : this.nSpace.take(blockClass(next));
      if (this.nSpace.end > this.t.length) this.t = lengthen(this.t, roomFor(this.nSpace.end, this.t.length), 0, (n) => new Float64Array(n));
      const t = this.t;
      if (next > 0) {
        t.copyWithin(to, start, start + i);
        t.fill(0, to + i, to + i + insert);
        t.copyWithin(to + i + insert, start + i + remove, start + length);
      }
      if (length > 0) this.nSpace.give(start, blockClass(length));
      this.nAt[row] = to;
      this.ti = to;
    }
    this.nLen[row] = next;
  }

  /** spliceN for the tail of strings (`u`, `ui`); the opened cells are '' until written. */
  spliceS(i: number, remove: number, insert: number): void {
    const row = this.row;
    const length = this.sLen[row] as number;
    const start = this.sAt[row] as number;
    const next = length - remove + insert;
    if (next > 0 && length > 0 && (next === length || blockClass(next) === blockClass(length))) {
      const u = this.u;
      // By hand, not copyWithin: the runs are a few strings, where the builtin's set-up costs more than the moves.
      if (insert > remove) for (let j = start + length - 1; j >= start + i + remove; j--) u[j + insert - remove] = u[j] as string;
      else if (insert < remove) for (let j = start + i + remove; j < start + length; j++) u[j + insert - remove] = u[j] as string;
      for (let j = start + i; j < start + i + insert; j++) u[j] = '';
      // The cells past the new end keep no string alive.
      for (let j = start + next; j < start + length; j++) u[j] = '';
    } else {
      const to = next === 0 ? 0 : this.sSpace.take(blockClass(next));
      if (this.sSpace.end > this.u.length) this.u = lengthenStrings(this.u, roomFor(this.sSpace.end, this.u.length));
      const u = this.u;
      if (next > 0) {
        u.copyWithin(to, start, start + i);
        u.fill('', to + i, to + i + insert);
        u.copyWithin(to + i + insert, start + i + remove, start + length);
      }
      if (length > 0) {
        u.fill('', start, start + length);
        this.sSpace.give(start, blockClass(length));
      }
      this.sAt[row] = to;
      this.ui = to;
    }
    this.sLen[row] = next;
  }

  /** The current row's object, undefined when it holds none. */
  get o(): O | undefined {
    return this.objects?.[this.row];
  }

  set o(value: O | undefined) {
    this.setObject(this.row, value);
  }

  /** Rows in use. */
  get size(): number {
    return this.used - this.freeRows.length;
  }

  /** Rows the columns have room for (grown by doubling, never shrunk). */
  get rowCapacity(): number {
    return this.nAt.length;
  }

  /** Positions the table on `row`; returns it (the state handed to a detector). */
  seek(row: number): this {
    this.row = row;
    this.at = row * this.layout.width;
    this.gi = row * this.ints;
    this.ti = this.nAt[row] as number;
    this.ui = this.sAt[row] as number;
    return this;
  }

  /** A new row with a fresh head and empty tails; returns its number (the table is not moved). */
  alloc(): number {
    const row = this.freeRows.pop() ?? this.used++;
    if (row >= this.nAt.length) this.grow();
    this.h.set(this.layout.fresh, row * this.layout.width);
    this.g.set(this.freshInts, row * this.ints);
    // Released rows have theirs cleared already; this gives a never-used row defined cells too.
    this.nLen[row] = 0;
    this.sLen[row] = 0;
    if (this.objects !== undefined) this.objects[row] = undefined;
    return row;
  }

  /** Gives `row` back: its tails go now, its head is overwritten when the row is handed out again. */
  release(row: number): void {
    this.dropTails(row);
    if (this.objects !== undefined) this.objects[row] = undefined;
    this.freeRows.push(row);
  }

  /** A new row holding what `from`'s current row holds (restore: a decoded state into the store's columns). */
  adopt(from: RowTable<O>): number {
    const row = this.alloc();
    this.copyInto(row, from);
    return row;
  }

  /**
   * Overwrites `row` with `from`'s current row (the table is left on `row`). The tails are copied; the object is
   * shared: `from` is a decoded state nobody else keeps.
   */
  copyInto(row: number, from: RowTable<O>): void {
    const width = this.layout.width;
    this.h.set(from.h.subarray(from.at, from.at + width), row * width);
    this.g.set(from.g.subarray(from.gi, from.gi + this.ints), row * this.ints);
    this.seek(row);
    this.spliceN(0, this.nLength, from.nLength);
    this.t.set(from.t.subarray(from.ti, from.ti + from.nLength), this.ti);
    this.spliceS(0, this.sLength, from.sLength);
    for (let i = 0; i < from.sLength; i++) this.u[this.ui + i] = from.u[from.ui + i] as string;
    this.setObject(row, from.o);
  }

  /** The current row as a state of its own: a copy that later changes to this table do not touch. */
  detach(): RowTable<O> {
    const copy = RowTable.single(this.layout);
    copy.copyInto(0, this);
    const o = this.o;
    if (o !== undefined && this.layout.copyObject !== undefined) copy.o = this.layout.copyObject(o);
    return copy;
  }

  /** The current row spelled out (tests, debugging): its head, its integer cells if the layout has any, and its tails. */
  view(): { head: number[]; ints?: number[]; n: number[]; s: string[] } {
    const head = Array.from(this.h.subarray(this.at, this.at + this.layout.width));
    const n = Array.from(this.t.subarray(this.ti, this.ti + this.nLength));
    const s = this.u.slice(this.ui, this.ui + this.sLength);
    if (this.ints === 0) return { head, n, s };
    return { head, ints: Array.from(this.g.subarray(this.gi, this.gi + this.ints)), n, s };
  }

  /**
   * The tails' arrays by kind: how far blocks were ever handed out (`end`) and how much of that stands in blocks
   * given back (`spare`). Every element before `end` is in a live tail's block or a free one (tests).
   */
  get tailRoom(): { n: { end: number; spare: number }; s: { end: number; spare: number } } {
    return { n: { end: this.nSpace.end, spare: this.nSpace.spare }, s: { end: this.sSpace.end, spare: this.sSpace.spare } };
  }

  /** Sets `row`'s object, making the column on the first one. */
  private setObject(row: number, value: O | undefined): void {
    if (this.objects === undefined) {
      if (value === undefined) return;
      this.objects = new Array<O | undefined>(this.nAt.length);
    }
    this.objects[row] = value;
  }

  /** Gives `row`'s tails' blocks back; its tails are empty then. */
  private dropTails(row: number): void {
    const n = this.nLen[row] as number;
    if (n > 0) this.nSpace.give(this.nAt[row] as number, blockClass(n));
    const s = this.sLen[row] as number;
    if (s > 0) {
      const start = this.sAt[row] as number;
      this.u.fill('', start, start + s);
      this.sSpace.give(start, blockClass(s));
    }
    this.nLen[row] = 0;
    this.sLen[row] = 0;
  }

  private grow(): void {
    const rows = this.nAt.length * 2;
    this.h = lengthen(this.h, rows * this.layout.width, 0, (n) => new Float64Array(n));
    this.g = lengthen(this.g, rows * this.ints, 0, (n) => new Int32Array(n));
    this.nAt = lengthen(this.nAt, rows, 0, (n) => new Int32Array(n));
    this.nLen = lengthen(this.nLen, rows, 0, (n) => new Int32Array(n));
    this.sAt = lengthen(this.sAt, rows, 0, (n) => new Int32Array(n));
    this.sLen = lengthen(this.sLen, rows, 0, (n) => new Int32Array(n));
    if (this.objects !== undefined) this.objects = lengthenArray(this.objects, rows);
  }
}

/** A length for a tails' array that must reach `end`: `current` doubled as often as needed. */
function roomFor(end: number, current: number): number {
  let length = Math.max(1, current);
  while (length < end) length *= 2;
  return length;
}

/** A copy of `from` lengthened to `length`, the new cells '' (a tails' array of strings grown: never holey). */
function lengthenStrings(from: readonly string[], length: number): string[] {
  const out = new Array<string>(length);
  for (let i = 0; i < from.length; i++) out[i] = from[i] as string;
  out.fill('', from.length);
  return out;
}
