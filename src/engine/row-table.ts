/**
 * Per-key state kept in columns instead of an object per key: the state of a
 * detector that declares a RowLayout. Each key's state is a row: a fixed
 * head of `width` numbers in one Float64Array shared by every row, and a
 * variable tail of numbers and of strings (rings, lists), absent while empty.
 *
 * Why: at a million accounts a small state object costs its wrapper, two
 * arrays and their backing stores (about 120 bytes before its first number),
 * and the collector marks and promotes each of them. A row costs its numbers
 * (8 bytes each) and two tail cells.
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

/*
 * What an empty tail reads as. Frozen, so that a write into it throws instead
 * of quietly giving every empty row the same content: tails are replaced
 * (`st.n = longer copy`), and written in place only where they hold entries.
 */
const NO_NUMBERS: readonly number[] = Object.freeze([]);
const NO_STRINGS: readonly string[] = Object.freeze([]);

export class RowTable<O = unknown> {
  /** Every row's head, `width` numbers per row; the current row's starts at `at`. */
  h: Float64Array;
  at = 0;
  /** Every row's integer cells, `ints` per row; the current row's start at `gi`. */
  g: Int32Array;
  gi = 0;
  private readonly ints: number;
  private readonly freshInts: Int32Array;
  private row = 0;
  /** By row: its tails, undefined while empty. */
  private tailN: (number[] | undefined)[];
  private tailS: (string[] | undefined)[];
  /** By row: its object; undefined until some row sets one (then as long as the tails' columns). */
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
    this.tailN = new Array<number[] | undefined>(rows);
    this.tailS = new Array<string[] | undefined>(rows);
  }

  /** A fresh state of its own: a table of one row, positioned on it. */
  static single<O>(layout: RowLayout<O>): RowTable<O> {
    const table = new RowTable<O>(layout, 1);
    table.seek(table.alloc());
    return table;
  }

  /** The current row's tail of numbers (empty: a shared frozen array). Assign a new array to change its length. */
  get n(): number[] {
    return this.tailN[this.row] ?? (NO_NUMBERS as number[]);
  }

  set n(values: number[]) {
    this.tailN[this.row] = values.length === 0 ? undefined : values;
  }

  /** The current row's tail of strings, as `n`. */
  get s(): string[] {
    return this.tailS[this.row] ?? (NO_STRINGS as string[]);
  }

  set s(values: string[]) {
    this.tailS[this.row] = values.length === 0 ? undefined : values;
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
    return this.tailN.length;
  }

  /** Positions the table on `row`; returns it (the state handed to a detector). */
  seek(row: number): this {
    this.row = row;
    this.at = row * this.layout.width;
    this.gi = row * this.ints;
    return this;
  }

  /** A new row with a fresh head and empty tails; returns its number (the table is not moved). */
  alloc(): number {
    const row = this.freeRows.pop() ?? this.used++;
    if (row >= this.tailN.length) this.grow();
    this.h.set(this.layout.fresh, row * this.layout.width);
    this.g.set(this.freshInts, row * this.ints);
    // Released rows have theirs cleared already; this gives a never-used row defined cells too, so that two states of
    // one row compare equal (a codec's round trip) however each came about.
    this.tailN[row] = undefined;
    this.tailS[row] = undefined;
    if (this.objects !== undefined) this.objects[row] = undefined;
    return row;
  }

  /** Gives `row` back: its tails go now, its head is overwritten when the row is handed out again. */
  release(row: number): void {
    this.tailN[row] = undefined;
    this.tailS[row] = undefined;
    if (this.objects !== undefined) this.objects[row] = undefined;
    this.freeRows.push(row);
  }

  /** A new row holding what `from`'s current row holds (restore: a decoded state into the store's columns). */
  adopt(from: RowTable<O>): number {
    const row = this.alloc();
    this.copyInto(row, from);
    return row;
  }

  /** Overwrites `row` with `from`'s current row. Tails and object are shared, not copied: `from` is a decoded state nobody else keeps. */
  copyInto(row: number, from: RowTable<O>): void {
    const width = this.layout.width;
    this.h.set(from.h.subarray(from.at, from.at + width), row * width);
    this.g.set(from.g.subarray(from.gi, from.gi + this.ints), row * this.ints);
    this.tailN[row] = from.tailN[from.row];
    this.tailS[row] = from.tailS[from.row];
    this.setObject(row, from.o);
  }

  /** The current row as a state of its own: a copy that later changes to this table do not touch. */
  detach(): RowTable<O> {
    const copy = RowTable.single(this.layout);
    copy.copyInto(0, this);
    copy.n = this.n.slice();
    copy.s = this.s.slice();
    const o = this.o;
    if (o !== undefined && this.layout.copyObject !== undefined) copy.o = this.layout.copyObject(o);
    return copy;
  }

  /** The current row spelled out (tests, debugging): its head, its integer cells if the layout has any, and its tails. */
  view(): { head: number[]; ints?: number[]; n: number[]; s: string[] } {
    const head = Array.from(this.h.subarray(this.at, this.at + this.layout.width));
    if (this.ints === 0) return { head, n: [...this.n], s: [...this.s] };
    return { head, ints: Array.from(this.g.subarray(this.gi, this.gi + this.ints)), n: [...this.n], s: [...this.s] };
  }

  /** Sets `row`'s object, making the column on the first one. */
  private setObject(row: number, value: O | undefined): void {
    if (this.objects === undefined) {
      if (value === undefined) return;
      this.objects = new Array<O | undefined>(this.tailN.length);
    }
    this.objects[row] = value;
  }

  private grow(): void {
    const rows = this.tailN.length * 2;
    this.h = lengthen(this.h, rows * this.layout.width, 0, (n) => new Float64Array(n));
    this.g = lengthen(this.g, rows * this.ints, 0, (n) => new Int32Array(n));
    this.tailN = lengthenArray(this.tailN, rows);
    this.tailS = lengthenArray(this.tailS, rows);
    if (this.objects !== undefined) this.objects = lengthenArray(this.objects, rows);
  }
}
