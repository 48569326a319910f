/**
 * Where the rows' tails live (row-table.ts): one long array per table and
 * kind (numbers, strings), cut into blocks, a row's tail being one block.
 * This file hands out and takes back the blocks' places; the arrays are the
 * table's.
 *
 * Why: a tail kept as an array of its own costs its wrapper and its backing
 * store's header (about 48 bytes) before its first element, and an ordinary
 * account has about ten. A block costs the room it rounds up to, and nothing
 * for the collector to mark.
 *
 * A block's size is the size class of the tail's length: exact up to 8,
 * then four classes per doubling (10, 12, 14, 16, 20, 24, …), so a block has
 * at most a quarter spare. A tail whose length stays in its class grows or
 * shrinks in place; one that changes class moves to a new block, and the old
 * one goes to its class's free list, from which the next tail of that class
 * is served before the array's end grows. Nothing is ever compacted: free
 * blocks of a class that no tail needs again stay free (bounded by the most
 * room the table's tails of that class ever held at once).
 */

/** Lengths up to this have a class of their own. */
const EXACT = 8;

/** The size class of a tail of `length` (> 0, below 2^30) elements: the index of its block size. */
export function blockClass(length: number): number {
  if (length <= EXACT) return length;
  // Four classes per doubling above EXACT: for 2^k < length <= 2^(k+1), steps of 2^(k-2). Integer operations only:
  // every change to a tail's length asks for its class twice.
  const k = 31 - Math.clz32(length - 1);
  const shift = k - 2;
  return EXACT + 4 * (k - 3) + ((length - (1 << k) + (1 << shift) - 1) >> shift);
}

/** The number of elements a block of class `cls` holds. */
export function classSize(cls: number): number {
  if (cls <= EXACT) return cls;
  const k = 3 + Math.floor((cls - EXACT - 1) / 4);
  const steps = cls - EXACT - 4 * (k - 3);
  return 2 ** k + steps * 2 ** (k - 2);
}

/** The places of one array's blocks: taken from a class's free list, or from the array's end. */
export class BlockSpace {
  /** Past the last block ever handed out: the array must be at least this long. */
  end = 0;
  /** By class: starts of blocks given back. */
  private readonly free: number[][] = [];

  /** The start of a block of class `cls`; the array may need lengthening to `end` first. */
  take(cls: number): number {
    const list = this.free[cls];
    if (list !== undefined && list.length > 0) return list.pop() as number;
    const start = this.end;
    this.end += classSize(cls);
    return start;
  }

  /** Gives back the block of class `cls` at `start`. */
  give(start: number, cls: number): void {
    let list = this.free[cls];
    if (list === undefined) {
      list = [];
      this.free[cls] = list;
    }
    list.push(start);
  }

  /** Elements in blocks given back and not yet handed out again (tests, the memory figures). */
  get spare(): number {
    let total = 0;
    this.free.forEach((list, cls) => (total += list.length * classSize(cls)));
    return total;
  }
}
