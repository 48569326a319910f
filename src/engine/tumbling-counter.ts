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
