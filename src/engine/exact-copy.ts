/**
 * A copy of `from` with exactly its length, for restoring state from a
 * changelog record. Not slice() or map(): those keep the source's elements
 * kind, and a deserialised record's array holds every number beyond the
 * small-integer range (hashes, callee numbers, times) as a boxed object, 16
 * bytes more each, where an array built here stores them unboxed; they also
 * keep the source's Array, which is another realm's when the record was
 * cloned in another context.
 */
export function exactCopy<T>(from: ArrayLike<T>): T[] {
  const to = new Array<T>(from.length);
  for (let i = 0; i < from.length; i++) to[i] = from[i] as T;
  return to;
}
