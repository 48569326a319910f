/**
 * The most recent inter-arrival times of one stream of events, in a fixed
 * ring (oldest overwritten first), with the spread of the newest n of them.
 * Float32 halves the memory per account; ms gaps up to ~4.6 hours are exact
 * and longer ones lose nothing a coefficient of variation would notice.
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
  gaps: Float32Array;
  next: number;
  filled: number;
}

const isIndex = (n: number, max: number): boolean => Number.isInteger(n) && n >= 0 && n <= max;

export class GapRing {
  private readonly gaps: Float32Array;
  private next = 0;
  private filled = 0;

  constructor(capacity: number) {
    if (!(capacity >= 2)) throw new RangeError('a gap ring needs room for at least 2 gaps');
    this.gaps = new Float32Array(capacity);
  }

  /** A copy: the live ring keeps changing after a snapshot is taken. */
  toData(): GapRingData {
    return { gaps: this.gaps.slice(), next: this.next, filled: this.filled };
  }

  static fromData(data: GapRingData): GapRing {
    const ring = new GapRing(data.gaps.length);
    // A damaged record is refused: a position outside the buffer would read and write past it.
    if (!isIndex(data.next, ring.capacity - 1) || !isIndex(data.filled, ring.capacity)) throw new RangeError('gap ring data out of range');
    ring.gaps.set(data.gaps);
    ring.next = data.next;
    ring.filled = data.filled;
    return ring;
  }

  get size(): number {
    return this.filled;
  }

  get capacity(): number {
    return this.gaps.length;
  }

  push(gapMs: number): void {
    this.gaps[this.next] = gapMs;
    this.next = (this.next + 1) % this.gaps.length;
    if (this.filled < this.gaps.length) this.filled++;
  }

  /** Statistics of the newest `n` gaps; undefined until that many are held (n is clamped to 2..capacity). */
  stats(n: number): GapStats | undefined {
    const count = Math.min(Math.max(Math.floor(n), 2), this.gaps.length);
    if (this.filled < count) return undefined;
    const cap = this.gaps.length;
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
