import type { TelemetryEvent } from '../events/types';
import { MinHeap } from './min-heap';
import type { Activity } from './persona';

/**
 * One group's events in event-time order, made lazily from its activities.
 * Activities come in order of their start; a call's later phases may fall
 * after the next activity starts, so events wait in a small heap until no
 * activity still to come can start before them.
 */
export class GroupStream {
  private readonly pending = new MinHeap<TelemetryEvent>();
  private readonly source: Iterator<Activity>;
  private lastAt = Number.NEGATIVE_INFINITY;
  private done = false;

  constructor(
    activities: Iterable<Activity>,
    /** Activities starting at or after this are not part of the simulation. */
    private readonly end: number,
    private readonly persona: string,
  ) {
    this.source = activities[Symbol.iterator]();
  }

  /** Event time of the next event, or undefined when the group has no more. */
  peekTime(): number | undefined {
    this.fill();
    return this.pending.peekKey();
  }

  take(): TelemetryEvent | undefined {
    this.fill();
    return this.pending.pop();
  }

  private fill(): void {
    while (!this.done && (this.pending.size === 0 || (this.pending.peekKey() ?? 0) > this.lastAt)) {
      const next = this.source.next();
      if (next.done === true || next.value.at >= this.end) {
        this.done = true;
        return;
      }
      const activity = next.value;
      // A persona that plans out of order would produce unsorted output: a bug in the persona, said plainly.
      if (activity.at < this.lastAt) throw new Error(`simulator persona "${this.persona}" planned an activity before the previous one`);
      this.lastAt = activity.at;
      for (const e of activity.events) {
        if (e.eventTime < activity.at) throw new Error(`simulator persona "${this.persona}" made an event before its activity`);
        this.pending.push(e, e.eventTime);
      }
    }
  }
}

/** Every group's events merged into one stream in event-time order. */
export function* mergeByEventTime(streams: readonly GroupStream[]): Generator<TelemetryEvent> {
  const heap = new MinHeap<GroupStream>();
  for (const s of streams) {
    const t = s.peekTime();
    if (t !== undefined) heap.push(s, t);
  }
  for (let s = heap.pop(); s !== undefined; s = heap.pop()) {
    const event = s.take();
    if (event !== undefined) yield event;
    const t = s.peekTime();
    if (t !== undefined) heap.push(s, t);
  }
}
