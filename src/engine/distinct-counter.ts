import { windowStart } from './window';

/**
 * Distinct values of one key in the current tumbling window, exact up to
 * `cap` values, after which the count saturates at `cap` (memory stays fixed;
 * rules set their thresholds below the cap). The streaming-engine issue
 * replaces the saturation with a HyperLogLog past the cap.
 */
export interface DistinctCounter {
  windowStart: number;
  values: string[];
  fired: boolean;
}

export function newDistinctCounter(): DistinctCounter {
  return { windowStart: Number.NEGATIVE_INFINITY, values: [], fired: false };
}

/** Adds a value; `late` when its window was already replaced. */
export function addDistinct(counter: DistinctCounter, value: string, eventTime: number, sizeMs: number, cap: number): 'counted' | 'late' {
  const start = windowStart(eventTime, sizeMs);
  if (start > counter.windowStart) {
    counter.windowStart = start;
    counter.values = [];
    counter.fired = false;
  } else if (start < counter.windowStart) {
    return 'late';
  }
  if (counter.values.length < cap && !counter.values.includes(value)) counter.values.push(value);
  return 'counted';
}
