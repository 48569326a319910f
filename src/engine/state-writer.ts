/**
 * Writes a state's plain data (see StateCodec) straight into a changelog
 * value as the state is walked, instead of building the plain objects first
 * and walking those. Building them was most of what a commit cost: on live
 * traffic every changed key's state became a hundred or so short-lived
 * objects per commit, only to be written and dropped.
 *
 * A sequence of calls stands for one plain value, and must give exactly the
 * bytes that value(it) gives (tested for every codec that writes directly):
 * - object(n), then n times field(name) and the field's value, in the order
 *   the plain object's keys would come (insertion order);
 * - array(n), then n values;
 * - number, string, boolean, null: one value each;
 * - value(v): any plain value, the general way (for parts not worth writing by hand).
 */
export interface StateWriter {
  object(fields: number): void;
  /** A Field for names written often (its lookup is kept), the name itself for the others. */
  field(name: string | Field): void;
  array(length: number): void;
  number(n: number): void;
  string(s: string): void;
  boolean(b: boolean): void;
  null(): void;
  value(v: unknown): void;
  /** What value(Float32Array.from(values)) writes, without the array. */
  float32s(values: ArrayLike<number>): void;
  /**
   * What value(a Uint32Array of `count` numbers) writes, the numbers taken from `values` at `start`, `start + step`,
   * …, a missing one as 0: a live store copied into the record without the array.
   */
  uint32s(values: ArrayLike<number>, start: number, step: number, count: number): void;
}

/** What value(items.slice(start, end)) writes, without the copy (a hole is written as undefined, as the copy has it). */
export function writeSlice(out: StateWriter, items: readonly unknown[], start: number, end: number): void {
  const from = Math.min(start, items.length);
  const to = Math.min(end, items.length);
  out.array(Math.max(0, to - from));
  for (let i = from; i < to; i++) out.value(items[i]);
}

/**
 * A field name written often: the writer works out once what it writes for it (its position in the changelog's
 * list of names) and keeps that here, instead of looking the name up at every field of every value.
 */
export class Field {
  /** The writer's cache, not for codecs: which list of names `code` was worked out for, and the code. */
  cachedFor: unknown = undefined;
  code = 0;
  constructor(readonly name: string) {}
}

/** A Field per name, by name: `const F = fields('windowStart', 'count')`, then `out.field(F.count)`. */
export function fields<const N extends string>(...names: N[]): Record<N, Field> {
  const out = {} as Record<N, Field>;
  for (const name of names) out[name] = new Field(name);
  return out;
}
