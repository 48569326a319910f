import { headAt, setHead, type Positioned } from './row-tails';
import { windowStart } from './window';

/**
 * A count over the current tumbling window of one key, with a flag so a
 * finding fires once per window: at the moment the threshold is crossed, not
 * when the window closes. Three numbers, so millions of keys stay cheap.
 */
export interface TumblingCounter {
  windowStart: number;
  count: number;
  fired: boolean;
}

export type CountOutcome = 'counted' | 'late';

export function newCounter(): TumblingCounter {
  return { windowStart: Number.NEGATIVE_INFINITY, count: 0, fired: false };
}

/**
 * Adds one event. An event for a window older than the current one is
 * `late`: its window was already replaced, so it is reported (and counted in
 * metrics by the caller), not silently dropped.
 */
export function countEvent(counter: TumblingCounter, eventTime: number, sizeMs: number): CountOutcome {
  const start = windowStart(eventTime, sizeMs);
  if (start > counter.windowStart) {
    counter.windowStart = start;
    counter.count = 0;
    counter.fired = false;
  } else if (start < counter.windowStart) {
    return 'late';
  }
  counter.count += 1;
  return 'counted';
}

/**
 * countEvent for a counter kept in a row's head (row-tails.ts) instead of an
 * object: its window start at head number `at` (-Infinity before the first
 * event), its count at `at + 1`, its fired flag (1 or 0) at `at + 2`. Returns
 * the count with this event, or `late`.
 */
export function countEventInHead(st: Positioned, at: number, eventTime: number, sizeMs: number): number | 'late' {
  const start = windowStart(eventTime, sizeMs);
  const current = headAt(st, at);
  if (start < current) return 'late';
  if (start > current) {
    setHead(st, at, start);
    setHead(st, at + 1, 0);
    setHead(st, at + 2, 0);
  }
  const count = headAt(st, at + 1) + 1;
  setHead(st, at + 1, count);
  return count;
}
