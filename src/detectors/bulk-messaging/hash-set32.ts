/**
 * A bounded set of 32-bit hashes in a typed array that grows by doubling up
 * to `cap`: 4 bytes an entry, and most accounts never get past the first few.
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

const INITIAL_CAPACITY = 4;

export class HashSet32 {
  private items: Uint32Array;
  private count = 0;
  /** Once full in 'evict-oldest': the slot of the oldest value. */
  private oldest = 0;

  constructor(
    private readonly cap: number,
    private readonly whenFull: WhenFull,
  ) {
    this.items = new Uint32Array(Math.min(INITIAL_CAPACITY, cap));
  }

  /**
   * Only the used slots are written: the spare capacity of the last doubling
   * holds nothing, and the changelog pays for every byte of every account.
   */
  toData(): HashSet32Data {
    return { cap: this.cap, whenFull: this.whenFull, items: this.items.slice(0, this.count), oldest: this.oldest };
  }

  static fromData(data: HashSet32Data): HashSet32 {
    const set = new HashSet32(data.cap, data.whenFull);
    const count = Math.min(data.items.length, data.cap);
    // At least the constructor's capacity: an empty array would never grow (doubling 0 gives 0).
    set.items = new Uint32Array(Math.max(count, set.items.length));
    set.items.set(data.items.subarray(0, count));
    set.count = count;
    set.oldest = data.oldest % Math.max(1, data.cap);
    return set;
  }

  get size(): number {
    return this.count;
  }

  has(hash: number): boolean {
    for (let i = 0; i < this.count; i++) if (this.items[i] === hash) return true;
    return false;
  }

  /** Adds `hash`; true when it was not in the set and is now (false when present, or full and saturated). */
  add(hash: number): boolean {
    if (this.has(hash)) return false;
    if (this.count === this.items.length && this.count < this.cap) {
      const grown = new Uint32Array(Math.min(this.items.length * 2, this.cap));
      grown.set(this.items);
      this.items = grown;
    }
    if (this.count < this.items.length) {
      this.items[this.count++] = hash;
      return true;
    }
    if (this.whenFull === 'saturate') return false;
    this.items[this.oldest] = hash;
    this.oldest = (this.oldest + 1) % this.cap;
    return true;
  }
}
