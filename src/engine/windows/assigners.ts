import { windowStart, type WindowBounds } from '../window';

/**
 * Which fixed windows an event belongs to.
 *
 * Windows align to the epoch (as in Kafka Streams and Flink) so that every
 * process, every replay and every restore agrees on the boundaries without
 * coordinating: a window is a pure function of the event time. Start is
 * inclusive and end exclusive, so an event on a boundary belongs to exactly
 * one tumbling window and no event is counted twice.
 *
 * Hopping windows (Kafka Streams' name; Flink calls them sliding windows)
 * start every `advanceMs` and last `sizeMs`, so they overlap and one event
 * lies in up to ceil(size / advance) of them. `advanceMs === sizeMs` is a
 * tumbling window. Record-defined spans ("more than N within any X ms") are
 * not hopping windows: see sliding-count.ts.
 *
 * An assigner is configuration, not state: it holds no per-key data.
 */
export interface WindowAssigner {
  readonly kind: 'tumbling' | 'hopping';
  readonly sizeMs: number;
  readonly advanceMs: number;
  /** The most windows one event can fall in: any cap on open windows must allow at least this. */
  readonly windowsPerEvent: number;
  /** Every window containing `eventTime`, oldest first. */
  windowsFor(eventTime: number): WindowBounds[];
}

function checkSpan(name: string, ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 1) throw new RangeError(`${name} must be a positive whole number of milliseconds, got ${ms}`);
}

function checkTime(eventTime: number): void {
  if (!Number.isFinite(eventTime)) throw new RangeError(`event time must be a finite number, got ${eventTime}`);
}

export function tumbling(sizeMs: number): WindowAssigner {
  checkSpan('sizeMs', sizeMs);
  return {
    kind: 'tumbling',
    sizeMs,
    advanceMs: sizeMs,
    windowsPerEvent: 1,
    windowsFor(eventTime) {
      checkTime(eventTime);
      const start = windowStart(eventTime, sizeMs);
      return [{ start, end: start + sizeMs }];
    },
  };
}

export function hopping(sizeMs: number, advanceMs: number): WindowAssigner {
  checkSpan('sizeMs', sizeMs);
  checkSpan('advanceMs', advanceMs);
  // Kafka Streams' rule: an advance past the size would leave gaps where events belong to no window.
  if (advanceMs > sizeMs) throw new RangeError(`advanceMs (${advanceMs}) must not exceed sizeMs (${sizeMs})`);
  return {
    kind: 'hopping',
    sizeMs,
    advanceMs,
    windowsPerEvent: Math.ceil(sizeMs / advanceMs),
    windowsFor(eventTime) {
      checkTime(eventTime);
      // Windows start on multiples of the advance; the event is in those starting in (t - size, t].
      const out: WindowBounds[] = [];
      for (let start = windowStart(eventTime, advanceMs); start > eventTime - sizeMs; start -= advanceMs) {
        out.push({ start, end: start + sizeMs });
      }
      return out.reverse();
    },
  };
}
