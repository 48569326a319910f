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
 * A RowTable is also the state a detector reads and writes: it is positioned
 * on one row (`at`, and the tails of that row) by whoever hands it out, so
 * one object serves every key. A positioned table is valid until the table is
 * positioned again: read and write it during the call that received it, never
 * keep it. A table of one row (RowTable.single) is a state of its own, as
 * createState and a codec's decode return.
 */
import { lengthen, lengthenArray } from './columns';

export interface RowLayout {
  /** Numbers in each row's head. */
  readonly width: number;
  /** A fresh row's head: `width` numbers. */
  readonly fresh: readonly number[];
}

/*
 * What an empty tail reads as. Frozen, so that a write into it throws instead
 * of quietly giving every empty row the same content: tails are replaced
 * (`st.n = longer copy`), and written in place only where they hold entries.
 */
const NO_NUMBERS: readonly number[] = Object.freeze([]);
const NO_STRINGS: readonly string[] = Object.freeze([]);

export class RowTable {
  /** Every row's head, `width` numbers per row; the current row's starts at `at`. */
  h: Float64Array;
  at = 0;
  private row = 0;
  /** By row: its tails, undefined while empty. */
  private tailN: (number[] | undefined)[];
  private tailS: (string[] | undefined)[];
  /** Rows given back, handed out again first; then rows from `used` on. */
  private readonly freeRows: number[] = [];
  private used = 0;

  constructor(
    readonly layout: RowLayout,
    capacity = 1024,
  ) {
    if (!(Number.isInteger(layout.width) && layout.width >= 0) || layout.fresh.length !== layout.width) {
      throw new RangeError(`a row layout needs a whole width and as many fresh numbers (width ${layout.width}, fresh ${layout.fresh.length})`);
    }
    const rows = Math.max(1, capacity);
    this.h = new Float64Array(rows * layout.width);
    this.tailN = new Array<number[] | undefined>(rows);
    this.tailS = new Array<string[] | undefined>(rows);
  }

  /** A fresh state of its own: a table of one row, positioned on it. */
  static single(layout: RowLayout): RowTable {
    const table = new RowTable(layout, 1);
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
    return this;
  }

  /** A new row with a fresh head and empty tails; returns its number (the table is not moved). */
  alloc(): number {
    const row = this.freeRows.pop() ?? this.used++;
    if (row >= this.tailN.length) this.grow();
    this.h.set(this.layout.fresh, row * this.layout.width);
    // Released rows have theirs cleared already; this gives a never-used row defined cells too, so that two states of
    // one row compare equal (a codec's round trip) however each came about.
    this.tailN[row] = undefined;
    this.tailS[row] = undefined;
    return row;
  }

  /** Gives `row` back: its tails go now, its head is overwritten when the row is handed out again. */
  release(row: number): void {
    this.tailN[row] = undefined;
    this.tailS[row] = undefined;
    this.freeRows.push(row);
  }

  /** A new row holding what `from`'s current row holds (restore: a decoded state into the store's columns). */
  adopt(from: RowTable): number {
    const row = this.alloc();
    this.copyInto(row, from);
    return row;
  }

  /** Overwrites `row` with `from`'s current row. Tails are shared, not copied: `from` is a decoded state nobody else keeps. */
  copyInto(row: number, from: RowTable): void {
    const width = this.layout.width;
    this.h.set(from.h.subarray(from.at, from.at + width), row * width);
    this.tailN[row] = from.tailN[from.row];
    this.tailS[row] = from.tailS[from.row];
  }

  /** The current row as a state of its own: a copy that later changes to this table do not touch. */
  detach(): RowTable {
    const copy = RowTable.single(this.layout);
    copy.copyInto(0, this);
    copy.n = this.n.slice();
    copy.s = this.s.slice();
    return copy;
  }

  /** The current row spelled out (tests, debugging): its head, and its tails. */
  view(): { head: number[]; n: number[]; s: string[] } {
    return { head: Array.from(this.h.subarray(this.at, this.at + this.layout.width)), n: [...this.n], s: [...this.s] };
  }

  private grow(): void {
    const rows = this.tailN.length * 2;
    this.h = lengthen(this.h, rows * this.layout.width, 0, (n) => new Float64Array(n));
    this.tailN = lengthenArray(this.tailN, rows);
    this.tailS = lengthenArray(this.tailS, rows);
  }
}
