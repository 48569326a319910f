import { fields, type StateWriter } from '../../engine/state-writer';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('capacity', 'gaps', 'next');
/**
 * The most recent inter-arrival times of one stream of events, in a ring
 * (oldest overwritten first), with the spread of the newest n of them. Gaps
 * are kept Float32-rounded: ms gaps up to ~4.6 hours are exact and longer
 * ones lose nothing a coefficient of variation would notice. The ring fills
 * from its start one gap at a time, in an exact-size array: most accounts
 * send a handful of messages, and a full-size buffer from the first gap on
 * cost every one of them the whole ring.
 */
export interface GapStats {
  /** Gaps the statistics cover. */
  count: number;
  meanMs: number;
  /** Sum of the gaps: time from the first to the last event of the run. */
  spanMs: number;
  /** Sample standard deviation over mean; Infinity when the mean is 0 (no spacing to speak of). */
  cv: number;
}

/** A ring as plain data for the changelog; GapRing.fromData() gives the same ring back. */
export interface GapRingData {
  capacity: number;
  /** The gaps held, in buffer order (the ring's oldest at `next` once full). */
  gaps: Float32Array;
  next: number;
}

const isIndex = (n: number, max: number): boolean => Number.isInteger(n) && n >= 0 && n <= max;

/** Shared by every ring with no gap yet (a kind originated once), rather than an empty array each: frozen, and push() replaces it. */
const NO_GAPS: never[] = [];
Object.freeze(NO_GAPS);

export class GapRing {
  /** Filled from index 0 up to `capacity`, then overwritten at `next`. */
  private gaps: number[] = NO_GAPS;
  private next = 0;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 2)) throw new RangeError('a gap ring needs room for at least 2 gaps');
  }

  /** A copy: the live ring keeps changing after a snapshot is taken. */
  toData(): GapRingData {
    return { capacity: this.capacity, gaps: Float32Array.from(this.gaps), next: this.next };
  }

  /** What value(toData()) writes (StateWriter). */
  writeData(out: StateWriter): void {
    out.object(3);
    out.field(F.capacity);
    out.number(this.capacity);
    out.field(F.gaps);
    out.float32s(this.gaps);
    out.field(F.next);
    out.number(this.next);
  }

  static fromData(data: GapRingData): GapRing {
    return new GapRing(data.capacity).restore(data);
  }

  /** Loads `data` into this empty ring of the same capacity (a subclass restores itself this way); returns it. */
  restore(data: GapRingData): this {
    const filled = data.gaps.length;
    // A damaged record is refused: a position outside the gaps held would read and write past them.
    const nextOk = filled < this.capacity ? data.next === filled : isIndex(data.next, this.capacity - 1);
    if (data.capacity !== this.capacity || filled > this.capacity || !nextOk) throw new RangeError('gap ring data out of range');
    this.gaps = Array.from(data.gaps);
    this.next = data.next;
    return this;
  }

  get size(): number {
    return this.gaps.length;
  }

  push(gapMs: number): void {
    const gap = Math.fround(gapMs);
    if (this.gaps.length < this.capacity) this.gaps = this.gaps.concat([gap]);
    else this.gaps[this.next] = gap;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Statistics of the newest `n` gaps; undefined until that many are held (n is clamped to 2..capacity). */
  stats(n: number): GapStats | undefined {
    const cap = this.capacity;
    const count = Math.min(Math.max(Math.floor(n), 2), cap);
    if (this.gaps.length < count) return undefined;
    // Until the ring is full, next is the number held, so (next - i + cap) % cap stays inside them.
    let sum = 0;
    for (let i = 1; i <= count; i++) sum += this.gaps[(this.next - i + cap) % cap] ?? 0;
    const mean = sum / count;
    // Two passes over at most a few dozen values: exact, and cheaper than keeping running sums per n.
    let squares = 0;
    for (let i = 1; i <= count; i++) {
      const d = (this.gaps[(this.next - i + cap) % cap] ?? 0) - mean;
      squares += d * d;
    }
    const sd = Math.sqrt(squares / (count - 1));
    return { count, meanMs: mean, spanMs: sum, cv: mean > 0 ? sd / mean : Number.POSITIVE_INFINITY };
  }
}
