/**
 * Event-time timers, earliest first (a binary heap). Capped: past `maxTimers`
 * the earliest is dropped and reported, so a flood of open calls cannot grow
 * memory without bound.
 *
 * The heap is kept in columns (a Float64Array of times, an Int32Array of
 * detectors, arrays of keys and accounts), not an object per timer: nearly
 * every account with a call up holds a pending timer for hours (long_call),
 * and a timer object with its boxed time cost ≈ 80 bytes that the collector
 * marked and promoted; in columns it is ≈ 28. Timers come out as objects only
 * when they fire.
 */
import { lengthen, lengthenArray } from './columns';

export interface Timer {
  at: number;
  detector: number;
  key: string;
  /** The account whose tier settings apply when the timer fires. */
  accountId: string;
}

/** What push() returns when nothing was dropped (a detector index is never negative). */
export const NOT_DROPPED = -1;

export class TimerQueue {
  private at: Float64Array;
  private detector: Int32Array;
  /** Undefined in cells past the end, so a fired timer's strings are not kept alive. */
  private key: (string | undefined)[];
  private accountId: (string | undefined)[];
  private length = 0;

  constructor(
    private readonly maxTimers: number,
    capacity = 64,
  ) {
    const cells = Math.max(1, capacity);
    this.at = new Float64Array(cells);
    this.detector = new Int32Array(cells);
    this.key = new Array<string | undefined>(cells);
    this.accountId = new Array<string | undefined>(cells);
  }

  get size(): number {
    return this.length;
  }

  /**
   * Adds a timer; when that takes the queue past its cap, drops the earliest
   * and returns its detector index (for the eviction metric), else NOT_DROPPED.
   */
  push(at: number, detector: number, key: string, accountId: string): number {
    if (this.length === this.at.length) this.grow();
    const i = this.length++;
    this.at[i] = at;
    this.detector[i] = detector;
    this.key[i] = key;
    this.accountId[i] = accountId;
    this.up(i);
    if (this.length <= this.maxTimers) return NOT_DROPPED;
    const dropped = this.detector[0] as number;
    this.removeTop();
    return dropped;
  }

  /** When the earliest timer is due (Infinity with none): lets a caller skip popDue, and its array, when nothing is due. */
  get nextAt(): number {
    return this.length > 0 ? (this.at[0] as number) : Number.POSITIVE_INFINITY;
  }

  /** Removes and returns every timer due at or before `watermark`, earliest first. */
  popDue(watermark: number): Timer[] {
    const due: Timer[] = [];
    while (this.length > 0 && (this.at[0] as number) <= watermark) {
      due.push({ at: this.at[0] as number, detector: this.detector[0] as number, key: this.key[0] as string, accountId: this.accountId[0] as string });
      this.removeTop();
    }
    return due;
  }

  /** Moves the last timer to the top and sifts it down; the strings of the vacated cell are let go. */
  private removeTop(): void {
    const last = --this.length;
    if (last > 0) this.move(last, 0);
    this.key[last] = undefined;
    this.accountId[last] = undefined;
    if (last > 0) this.down(0);
  }

  private move(from: number, to: number): void {
    this.at[to] = this.at[from] as number;
    this.detector[to] = this.detector[from] as number;
    this.key[to] = this.key[from];
    this.accountId[to] = this.accountId[from];
  }

  private swap(i: number, j: number): void {
    const at = this.at[i] as number;
    const detector = this.detector[i] as number;
    const key = this.key[i];
    const accountId = this.accountId[i];
    this.move(j, i);
    this.at[j] = at;
    this.detector[j] = detector;
    this.key[j] = key;
    this.accountId[j] = accountId;
  }

  // The same comparisons and swaps as the heap of objects this replaced, so timers due at the same moment still fire
  // in the same order (the violations digests depend on it).
  private up(i: number): void {
    const at = this.at;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((at[parent] as number) <= (at[i] as number)) break;
      this.swap(parent, i);
      i = parent;
    }
  }

  private down(i: number): void {
    const at = this.at;
    const n = this.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < n && (at[l] as number) < (at[min] as number)) min = l;
      if (r < n && (at[r] as number) < (at[min] as number)) min = r;
      if (min === i) return;
      this.swap(min, i);
      i = min;
    }
  }

  /** Doubles the columns (never shrunk, as the stores' columns). */
  private grow(): void {
    const cells = this.at.length * 2;
    this.at = lengthen(this.at, cells, 0, (n) => new Float64Array(n));
    this.detector = lengthen(this.detector, cells, 0, (n) => new Int32Array(n));
    this.key = lengthenArray(this.key, cells);
    this.accountId = lengthenArray(this.accountId, cells);
  }
}
