/**
 * Event-time timers, earliest first (a binary heap). Capped: past `maxTimers`
 * the earliest is dropped and reported, so a flood of open calls cannot grow
 * memory without bound.
 */
export interface Timer {
  at: number;
  detector: number;
  key: string;
  /** The account whose tier settings apply when the timer fires. */
  accountId: string;
}

export class TimerQueue {
  private readonly heap: Timer[] = [];

  constructor(private readonly maxTimers: number) {}

  get size(): number {
    return this.heap.length;
  }

  /** Adds a timer; returns a timer dropped to respect the cap, if any. */
  push(timer: Timer): Timer | undefined {
    this.heap.push(timer);
    this.up(this.heap.length - 1);
    return this.heap.length > this.maxTimers ? this.pop() : undefined;
  }

  /** When the earliest timer is due (Infinity with none): lets a caller skip popDue, and its array, when nothing is due. */
  get nextAt(): number {
    return this.heap[0]?.at ?? Number.POSITIVE_INFINITY;
  }

  /** Removes and returns every timer due at or before `watermark`, earliest first. */
  popDue(watermark: number): Timer[] {
    const due: Timer[] = [];
    while (this.heap.length > 0 && (this.heap[0] as Timer).at <= watermark) due.push(this.pop() as Timer);
    return due;
  }

  private pop(): Timer | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (this.heap.length > 0 && last !== undefined) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((h[parent] as Timer).at <= (h[i] as Timer).at) break;
      [h[parent], h[i]] = [h[i] as Timer, h[parent] as Timer];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < h.length && (h[l] as Timer).at < (h[min] as Timer).at) min = l;
      if (r < h.length && (h[r] as Timer).at < (h[min] as Timer).at) min = r;
      if (min === i) return;
      [h[min], h[i]] = [h[i] as Timer, h[min] as Timer];
      i = min;
    }
  }
}
