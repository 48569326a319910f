import type { WindowAssigner } from './assigners';

/**
 * One key's open tumbling or hopping windows, each with an aggregate, kept
 * until the watermark passes the window's end plus a grace period.
 *
 * Why grace: events arrive out of order. Closing a window the moment the
 * watermark reaches its end would drop every straggler; keeping it `graceMs`
 * longer lets late events still count (Kafka Streams' grace period, Flink's
 * allowed lateness). Past `end + graceMs` the window's result is final: an
 * event for it is *too late* and is reported to the caller (for a metric),
 * never applied silently and never used to reopen the window, because its
 * final result may already have been published.
 *
 * Why a cap: a key whose events scatter over many windows (a skewed clock, a
 * replay of old data) would otherwise hold unbounded windows until the
 * watermark catches up. Past `maxOpenWindows` the oldest window is closed
 * early and handed back like a final one, so the caller can still emit it;
 * events for it afterwards are reported as `closed`.
 *
 * Why split operator and state: the operator (this class) holds only
 * configuration; the per-key state is plain data (arrays and numbers plus
 * whatever the aggregate is), so a detector keeps it in its slot of the SlottedState and
 * the changelog persists it with structured clone, with no class to revive.
 * Windows are identified by their bounds, so after a policy reload changes
 * the size, windows of the old size simply run out and close.
 */

/** Enough for an hour of one-minute hops plus some grace; configurable per operator. */
export const DEFAULT_MAX_OPEN_WINDOWS = 128;

export interface OpenWindow<A> {
  start: number;
  end: number;
  aggregate: A;
}

export interface WindowedAggregateState<A> {
  /** Open windows, ordered by end then start (oldest first). */
  windows: OpenWindow<A>[];
  /** Highest end among windows already handed back (final or early): such windows never reopen. */
  closedThrough: number;
}

/** `final`: its end plus grace has passed. `capacity`: closed early to respect the cap. */
export type CloseReason = 'final' | 'capacity';

export interface ClosedWindow<A> extends OpenWindow<A> {
  reason: CloseReason;
}

/**
 * What happened to the event in one of its windows. `too-late`: the window's
 * end plus grace is at or before the watermark. `closed`: the window was
 * already handed back (closed early by the cap, or closed under a watermark
 * higher than the one passed now).
 */
export type WindowOutcome<A> =
  | { start: number; end: number; outcome: 'applied'; aggregate: A }
  | { start: number; end: number; outcome: 'too-late' }
  | { start: number; end: number; outcome: 'closed' };

export interface AddResult<A> {
  /** One entry per window the event belongs to, oldest first. */
  windows: WindowOutcome<A>[];
  applied: number;
  /** Windows the event was not applied to (too late or already closed): report them, e.g. ctx.late(rule). */
  rejected: number;
  /** Windows closed to respect the cap, oldest first: emit them as you emit close()'s. */
  evicted: ClosedWindow<A>[];
}

export interface WindowedAggregateOptions<A, V> {
  assigner: WindowAssigner;
  /** How long after its end a window still accepts late events. */
  graceMs: number;
  /** Open windows per key; default DEFAULT_MAX_OPEN_WINDOWS. */
  maxOpenWindows?: number;
  create: () => A;
  /** Folds one value in; may mutate and return the aggregate, or return a new one. */
  add: (aggregate: A, value: V) => A;
}

export class WindowedAggregate<A, V> {
  readonly graceMs: number;
  readonly maxOpenWindows: number;

  constructor(private readonly options: WindowedAggregateOptions<A, V>) {
    if (!(options.graceMs >= 0) || !Number.isFinite(options.graceMs)) throw new RangeError(`graceMs must be a finite number ≥ 0, got ${options.graceMs}`);
    const max = options.maxOpenWindows ?? DEFAULT_MAX_OPEN_WINDOWS;
    // Fewer than the windows of one event would close an event's own windows as it is added.
    if (!Number.isSafeInteger(max) || max < options.assigner.windowsPerEvent) {
      throw new RangeError(`maxOpenWindows must be a whole number ≥ ${options.assigner.windowsPerEvent} (the windows one event falls in), got ${max}`);
    }
    this.graceMs = options.graceMs;
    this.maxOpenWindows = max;
  }

  get assigner(): WindowAssigner {
    return this.options.assigner;
  }

  empty(): WindowedAggregateState<A> {
    return { windows: [], closedThrough: Number.NEGATIVE_INFINITY };
  }

  /** Applies one event to each of its windows that is still open at `watermark`. */
  add(state: WindowedAggregateState<A>, eventTime: number, value: V, watermark: number): AddResult<A> {
    const windows: WindowOutcome<A>[] = [];
    let applied = 0;
    for (const { start, end } of this.options.assigner.windowsFor(eventTime)) {
      if (end + this.graceMs <= watermark) {
        windows.push({ start, end, outcome: 'too-late' });
      } else if (end <= state.closedThrough) {
        windows.push({ start, end, outcome: 'closed' });
      } else {
        const open = findOrOpen(state, start, end, this.options.create);
        open.aggregate = this.options.add(open.aggregate, value);
        windows.push({ start, end, outcome: 'applied', aggregate: open.aggregate });
        applied++;
      }
    }
    const evicted: ClosedWindow<A>[] = [];
    while (state.windows.length > this.maxOpenWindows) {
      const oldest = state.windows.shift();
      if (!oldest) break;
      state.closedThrough = Math.max(state.closedThrough, oldest.end);
      evicted.push({ ...oldest, reason: oldest.end + this.graceMs <= watermark ? 'final' : 'capacity' });
    }
    return { windows, applied, rejected: windows.length - applied, evicted };
  }

  /** Removes and returns, oldest first, every window whose end plus grace is at or before `watermark`. */
  close(state: WindowedAggregateState<A>, watermark: number): ClosedWindow<A>[] {
    let due = 0;
    for (const w of state.windows) {
      // Ordered by end, so the due windows are a prefix.
      if (w.end + this.graceMs > watermark) break;
      due++;
    }
    if (due === 0) return [];
    const closed = state.windows.splice(0, due).map((w): ClosedWindow<A> => ({ ...w, reason: 'final' }));
    for (const w of closed) state.closedThrough = Math.max(state.closedThrough, w.end);
    return closed;
  }
}

function findOrOpen<A>(state: WindowedAggregateState<A>, start: number, end: number, create: () => A): OpenWindow<A> {
  const ws = state.windows;
  // Newest windows are the likeliest: scan from the end for the insertion point.
  let i = ws.length;
  while (i > 0) {
    const w = ws[i - 1] as OpenWindow<A>;
    if (w.end === end && w.start === start) return w;
    if (w.end < end || (w.end === end && w.start < start)) break;
    i--;
  }
  const created: OpenWindow<A> = { start, end, aggregate: create() };
  ws.splice(i, 0, created);
  return created;
}
