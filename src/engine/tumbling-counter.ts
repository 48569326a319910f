import { headAt, intAt, setHead, setInt, type Positioned, type PositionedInts } from './row-tails';
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

/** Where a row keeps a tumbling counter: its window start in the head, its count and fired flag (1 or 0) in integer cells. */
export interface RowCounter {
  readonly window: number;
  readonly count: number;
  readonly fired: number;
}

/**
 * countEvent for a counter kept in a row (row-tails.ts) instead of an object:
 * its window start in the head (-Infinity before the first event), its count
 * and fired flag (1 or 0) in integer cells (RowLayout.ints). Returns the
 * count with this event, or `late`.
 */
export function countEventInRow(st: Positioned & PositionedInts, counter: RowCounter, eventTime: number, sizeMs: number): number | 'late' {
  const start = windowStart(eventTime, sizeMs);
  const current = headAt(st, counter.window);
  if (start < current) return 'late';
  if (start > current) {
    setHead(st, counter.window, start);
    setInt(st, counter.count, 0);
    setInt(st, counter.fired, 0);
  }
  const count = intAt(st, counter.count) + 1;
  setInt(st, counter.count, count);
  return count;
}
