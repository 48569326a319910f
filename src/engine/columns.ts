/** The typed arrays the engine keeps its columns in (key-index.ts, slotted-state.ts). */
type Column = Int32Array | Uint32Array | Uint8Array | Float64Array;

/** A copy of `from` lengthened to `length`, the new cells `fill`: a column grown to a larger capacity. */
export function lengthen<T extends Column>(from: T, length: number, fill: number, make: (n: number) => T): T {
  const column = make(length);
  column.fill(fill, from.length);
  column.set(from);
  return column;
}
