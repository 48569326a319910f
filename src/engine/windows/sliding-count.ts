/**
 * "More than N events within any X ms" for one key, defined by record times
 * (Kafka Streams' sliding windows), not by epoch-aligned buckets: a burst
 * that straddles a tumbling boundary is still caught, and the answer does not
 * depend on when the window happened to start.
 *
 * A span is the half-open interval (s - X, s]. Some span holds more than N
 * events exactly when some N+1 consecutive event times (in time order) lie
 * less than X apart; so the state is the sorted event times, and the verdict
 * at an event is whether any run of N+1 consecutive times *that includes it*
 * spreads over less than X. For an in-order event that run is the one ending
 * at it, i.e. the count in (t - X, t]; an out-of-order event (older than the
 * newest) is checked against the spans it falls in, including those ending
 * at newer events, so a straggler that completes a burst is caught.
 *
 * Time model: spans ending at or after the watermark are still open; those
 * ending before it are final. An event at or before `watermark - X` lies in
 * no open span, so it is rejected as `too-late` (reported, not stored), and
 * times at or before `watermark - X` are forgotten. A late event after that
 * line (older than the watermark) is still counted in the open spans.
 * A verdict of `exceeds` always names real events; it is exact for every
 * open span while the kept events fit the cap.
 *
 * Why this cap: the kept times are those after `watermark - X`. With the
 * default cap of 2(N+1) and a watermark trailing the newest event by at most
 * X, the kept times fit in two X-long spans, so overflowing the cap means one
 * of them already holds N+1 events: a violation already exists, and dropping
 * the oldest time (reported as `dropped`) cannot hide a first offence. The
 * newest N+1 times are always kept, so in-order verdicts stay exact whatever
 * the cap.
 *
 * State is plain data (a sorted number array and the highest watermark seen),
 * safe for structured clone; the operator holds only the configuration.
 */

export interface SlidingCountOptions {
  /** N: the count that must be exceeded. */
  threshold: number;
  /** X: the span length in ms. */
  spanMs: number;
  /** Kept event times per key; default 2 × (threshold + 1), at least threshold + 1. */
  maxEvents?: number;
}

export interface SlidingCountState {
  /** Event times after `watermark - spanMs`, ascending. */
  times: number[];
  /** Highest watermark passed in: rejection and forgetting never move backwards. */
  watermark: number;
}

export type SlidingOutcome =
  | {
      outcome: 'counted';
      /** Some span containing this event holds more than N events. */
      exceeds: boolean;
      /** Events in (t - X, t] after adding this one. */
      count: number;
      /** The newest violating run of N+1 events including this one: its first and last times. */
      run?: { first: number; last: number };
      /** Oldest times forgotten to respect the cap. */
      dropped: number;
    }
  | { outcome: 'too-late' };

export class SlidingCount {
  readonly threshold: number;
  readonly spanMs: number;
  readonly maxEvents: number;

  constructor(options: SlidingCountOptions) {
    const { threshold, spanMs } = options;
    if (!Number.isSafeInteger(threshold) || threshold < 0) throw new RangeError(`threshold must be a whole number ≥ 0, got ${threshold}`);
    if (!(spanMs > 0) || !Number.isFinite(spanMs)) throw new RangeError(`spanMs must be a positive number, got ${spanMs}`);
    const maxEvents = options.maxEvents ?? 2 * (threshold + 1);
    // Fewer than N+1 kept times could never show N+1 events in a span.
    if (!Number.isSafeInteger(maxEvents) || maxEvents < threshold + 1) throw new RangeError(`maxEvents must be a whole number ≥ threshold + 1 (${threshold + 1}), got ${maxEvents}`);
    this.threshold = threshold;
    this.spanMs = spanMs;
    this.maxEvents = maxEvents;
  }

  empty(): SlidingCountState {
    return { times: [], watermark: Number.NEGATIVE_INFINITY };
  }

  add(state: SlidingCountState, eventTime: number, watermark: number): SlidingOutcome {
    if (!Number.isFinite(eventTime)) throw new RangeError(`event time must be a finite number, got ${eventTime}`);
    if (watermark > state.watermark) state.watermark = watermark;
    const horizon = state.watermark - this.spanMs;
    if (eventTime <= horizon) return { outcome: 'too-late' };

    const times = state.times;
    const forget = upperBound(times, horizon);
    if (forget > 0) times.splice(0, forget);
    const at = upperBound(times, eventTime);
    times.splice(at, 0, eventTime);

    // Runs of N+1 consecutive times that include index `at`: first index j in [at - N, at].
    const n = this.threshold;
    let run: { first: number; last: number } | undefined;
    for (let j = Math.min(at, times.length - 1 - n); j >= Math.max(0, at - n); j--) {
      const first = times[j] as number;
      const last = times[j + n] as number;
      if (last - first < this.spanMs) {
        run = { first, last };
        break;
      }
    }
    const count = at + 1 - upperBound(times, eventTime - this.spanMs);

    let dropped = 0;
    if (times.length > this.maxEvents) {
      dropped = times.length - this.maxEvents;
      times.splice(0, dropped);
    }
    return run ? { outcome: 'counted', exceeds: true, count, run, dropped } : { outcome: 'counted', exceeds: false, count, dropped };
  }
}

/** Index of the first element greater than `value` in an ascending array. */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
