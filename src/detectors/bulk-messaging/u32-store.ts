/**
 * Storage for a bounded list of 32-bit values (hashes) that most accounts
 * keep only a few of. What V8 charges (64-bit, no pointer compression):
 * - a typed array: about 180 bytes of bookkeeping (the typed array and its
 *   ArrayBuffer objects) whatever its length, then 4 bytes a value;
 * - a plain array: 48 bytes, then 8 a value (a hash above 2^31 is a double,
 *   kept unboxed in a double array).
 * So a list stays a plain array of exactly its length while it holds at most
 * PLAIN_MAX values (where the two cost about the same), and becomes a
 * Uint32Array, grown by doubling up to its cap, past that. Plain arrays grow
 * one value at a time by copying: Array.push would reserve 17 slots at once.
 */
export type U32Store = number[] | Uint32Array;

/** Values kept in a plain array at most: 48 + 8·32 bytes ≈ a typed array's 180 + 4·32. */
export const PLAIN_MAX = 32;

/**
 * `values` (whose first `used` slots hold data) with room for at least
 * `needed` values, never more than `cap`: the same store when it has the
 * room, else a grown copy.
 */
export function withRoom(values: U32Store, used: number, needed: number, cap: number): U32Store {
  if (needed <= values.length) return values;
  const size = needed <= PLAIN_MAX ? needed : Math.min(Math.max(needed, 2 * values.length), cap);
  return copyOf(values, used, Math.max(size, needed));
}

/** A store of `size` slots holding the first `count` values of `from` (zeros after them). */
export function copyOf(from: ArrayLike<number>, count: number, size: number): U32Store {
  const n = Math.min(count, from.length, size);
  if (size <= PLAIN_MAX) {
    const to = new Array<number>(size).fill(0);
    for (let i = 0; i < n; i++) to[i] = from[i] ?? 0;
    return to;
  }
  const to = new Uint32Array(size);
  for (let i = 0; i < n; i++) to[i] = from[i] ?? 0;
  return to;
}
