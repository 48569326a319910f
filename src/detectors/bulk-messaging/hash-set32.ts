import { fields, type StateWriter } from '../../engine/state-writer';
import { copyOf, withRoom, type U32Store } from './u32-store';

/** The field names writeData writes, each looked up once per writer (see Field). */
const F = fields('cap', 'whenFull', 'items', 'oldest');

/**
 * A bounded set of 32-bit hashes that grows with its contents up to `cap`:
 * a plain array of exactly the values held while small, a Uint32Array past
 * that (u32-store.ts), and most accounts never get past the first few.
 * Lookups scan linearly; at a few hundred entries that costs less than a
 * Map's per-entry overhead, and memory is what counts across millions of keys.
 *
 * When full, `whenFull` decides:
 * - 'evict-oldest': a FIFO ring, the value added longest ago is forgotten
 *   (re-adding a value does not refresh it);
 * - 'saturate': nothing more is added, so `size` stops at `cap`.
 *
 * Two different values with the same hash count as one: a new value collides
 * with one of 512 stored 32-bit hashes about once in eight million.
 */
export type WhenFull = 'evict-oldest' | 'saturate';

/** A HashSet32 as plain data (a changelog record); HashSet32.fromData() gives the same set back. */
export interface HashSet32Data {
  cap: number;
  whenFull: WhenFull;
  /** The stored hashes, in slot order (the ring's order matters for 'evict-oldest'). */
  items: Uint32Array;
  oldest: number;
}

/**
 * A set's record from `count` hashes of `values` starting at `start`: one form however the set is kept (this
 * class's own store, or a segment of a row: bulk messaging's contact history, contact-history.ts).
 */
export function hashSetData(cap: number, whenFull: WhenFull, values: ArrayLike<number>, start: number, count: number, oldest: number): HashSet32Data {
  // A loop, not Uint32Array.from with a mapping function: that walks an iterator and calls back per element.
  const items = new Uint32Array(count);
  for (let i = 0; i < count; i++) items[i] = values[start + i] ?? 0;
  return { cap, whenFull, items, oldest };
}

/** What value(hashSetData(…)) writes, without the Uint32Array (StateWriter). */
export function writeHashSetData(out: StateWriter, cap: number, whenFull: WhenFull, values: ArrayLike<number>, start: number, count: number, oldest: number): void {
  out.object(4);
  out.field(F.cap);
  out.number(cap);
  out.field(F.whenFull);
  out.string(whenFull);
  out.field(F.items);
  out.uint32s(values, start, 1, count);
  out.field(F.oldest);
  out.number(oldest);
}

export class HashSet32 {
  /** Slots 0..count-1 hold the hashes; an empty set holds an empty array (no room reserved). */
  private items: U32Store = [];
  private count = 0;
  /** Once full in 'evict-oldest': the slot of the oldest value. */
  private oldest = 0;

  constructor(
    private readonly cap: number,
    private readonly whenFull: WhenFull,
  ) {}

  /** Only the used slots are written: spare capacity holds nothing, and the changelog pays for every byte of every account. */
  toData(): HashSet32Data {
    return hashSetData(this.cap, this.whenFull, this.items, 0, Math.min(this.count, this.items.length), this.oldest);
  }

  /** What value(toData()) writes, without the Uint32Array (StateWriter). */
  writeData(out: StateWriter): void {
    writeHashSetData(out, this.cap, this.whenFull, this.items, 0, Math.min(this.count, this.items.length), this.oldest);
  }

  static fromData(data: HashSet32Data): HashSet32 {
    // The literal, not the record's string: a deserialised record brings its own copy of it, 32 bytes per set.
    const set = new HashSet32(data.cap, data.whenFull === 'saturate' ? 'saturate' : 'evict-oldest');
    const count = Math.min(data.items.length, data.cap);
    // Exactly the values held: the next add grows the store as a live set's would (an empty store grows too).
    set.items = copyOf(data.items, count, count);
    set.count = count;
    set.oldest = data.oldest % Math.max(1, data.cap);
    return set;
  }

  /** A set of its own with the same contents (a detached state's templates). */
  copy(): HashSet32 {
    return HashSet32.fromData(this.toData());
  }

  get size(): number {
    return this.count;
  }

  has(hash: number): boolean {
    for (let i = 0; i < this.count; i++) if (this.items[i] === hash) return true;
    return false;
  }

  forEach(fn: (hash: number) => void): void {
    for (let i = 0; i < this.count; i++) fn(this.items[i] as number);
  }

  /** Adds `hash`; true when it was not in the set and is now (false when present, or full and saturated). */
  add(hash: number): boolean {
    if (this.has(hash)) return false;
    if (this.count < this.cap) {
      this.items = withRoom(this.items, this.count, this.count + 1, this.cap);
      this.items[this.count++] = hash;
      return true;
    }
    if (this.whenFull === 'saturate') return false;
    this.items[this.oldest] = hash;
    this.oldest = (this.oldest + 1) % this.cap;
    return true;
  }
}
