/** The typed arrays the engine keeps its columns in (key-index.ts, slotted-state.ts, row-table.ts). */
type Column = Int32Array | Uint32Array | Uint8Array | Float64Array;

/** A copy of `from` lengthened to `length`, the new cells `fill`: a column grown to a larger capacity. */
export function lengthen<T extends Column>(from: T, length: number, fill: number, make: (n: number) => T): T {
  const column = make(length);
  column.fill(fill, from.length);
  column.set(from);
  return column;
}

/**
 * A copy of the plain array `from` lengthened to `length`, the new cells empty: a column of objects grown. Made at
 * its full length and filled by index, so V8 keeps it a fast holey array (a pushed array would reserve spare room).
 */
export function lengthenArray<T>(from: readonly T[], length: number): T[] {
  const column = new Array<T>(length);
  for (let i = 0; i < from.length; i++) column[i] = from[i] as T;
  return column;
}
