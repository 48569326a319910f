/**
 * Session windows for one key: bursts of activity separated by silence.
 *
 * Why sessions: abuse often comes in bursts whose length is not known in
 * advance (a dialling run, a messaging blast). A session grows for as long
 * as events keep coming less than `gapMs` apart, whatever its total length.
 *
 * Semantics (Flink's, which Kafka Streams matches up to the boundary):
 * - An event closer than `gapMs` to a session (strictly: distance < gap,
 *   distance 0 when inside it) joins it. An out-of-order event that is close
 *   to two sessions bridges them: they merge into one, counts added.
 * - A session's `start` and `end` are its first and last event times
 *   (Kafka Streams' convention, both inclusive); `count` is its events.
 * - No in-order event can extend a session once the watermark reaches
 *   `end + gapMs`; late events may, for `graceMs` more. So a session is final
 *   once `watermark ≥ end + gapMs + graceMs`, and close() hands it back then.
 * - An event that would join a session already final at the watermark, or
 *   that would form a session final on its own, is `too-late`: reported, not
 *   applied, whether or not close() has handed that session back yet. An
 *   event that would join a session handed back before it was final (closed
 *   early by the cap, or under a higher watermark) is `closed`: reported, not
 *   applied. Either way a final result never silently changes and a
 *   straggler never starts a split half-session.
 * - Past `maxOpenSessions` the oldest session is closed early and handed back
 *   (reason `capacity`), so a key's memory stays bounded.
 *
 * State is plain data (an array of {start, end, count} and one number),
 * safe for structured clone; the operator holds only configuration.
 */

/** A handful of concurrent bursts per key is normal; more means scattered clocks or a replay. */
export const DEFAULT_MAX_OPEN_SESSIONS = 16;

export interface Session {
  /** First event time. */
  start: number;
  /** Last event time (inclusive). */
  end: number;
  count: number;
}

export interface SessionState {
  /** Open sessions, by start; consecutive ones are at least gapMs apart. */
  sessions: Session[];
  /** Largest `end + gapMs` among sessions handed back: an event before it would touch one. */
  closedThrough: number;
}

export interface ClosedSession extends Session {
  /** `final`: gap and grace have passed. `capacity`: closed early to respect the cap. */
  reason: 'final' | 'capacity';
}

export type SessionAddResult =
  | {
      outcome: 'applied';
      /** The event's session after this event (a copy). */
      session: Session;
      /** How many open sessions the event joined: 0 new, 1 extended, 2 bridged. */
      merged: number;
      /** Sessions closed to respect the cap, oldest first: emit them as close()'s. */
      evicted: ClosedSession[];
    }
  | { outcome: 'too-late' }
  | { outcome: 'closed' };

export interface SessionWindowOptions {
  gapMs: number;
  graceMs: number;
  /** Open sessions per key; default DEFAULT_MAX_OPEN_SESSIONS. */
  maxOpenSessions?: number;
}

export class SessionWindows {
  readonly gapMs: number;
  readonly graceMs: number;
  readonly maxOpenSessions: number;

  constructor(options: SessionWindowOptions) {
    if (!(options.gapMs > 0) || !Number.isFinite(options.gapMs)) throw new RangeError(`gapMs must be a positive number, got ${options.gapMs}`);
    if (!(options.graceMs >= 0) || !Number.isFinite(options.graceMs)) throw new RangeError(`graceMs must be a finite number ≥ 0, got ${options.graceMs}`);
    const max = options.maxOpenSessions ?? DEFAULT_MAX_OPEN_SESSIONS;
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`maxOpenSessions must be a whole number ≥ 1, got ${max}`);
    this.gapMs = options.gapMs;
    this.graceMs = options.graceMs;
    this.maxOpenSessions = max;
  }

  empty(): SessionState {
    return { sessions: [], closedThrough: Number.NEGATIVE_INFINITY };
  }

  /** When `session` becomes final: the watermark at which close() hands it back. */
  finalAt(session: Session): number {
    return session.end + this.gapMs + this.graceMs;
  }

  add(state: SessionState, eventTime: number, watermark: number): SessionAddResult {
    if (!Number.isFinite(eventTime)) throw new RangeError(`event time must be a finite number, got ${eventTime}`);
    const sessions = state.sessions;
    // Sessions are disjoint and ordered, so those within the gap of the event are contiguous.
    let first = 0;
    while (first < sessions.length && (sessions[first] as Session).end + this.gapMs <= eventTime) first++;
    let past = first;
    while (past < sessions.length && (sessions[past] as Session).start - this.gapMs < eventTime) past++;

    const merged: Session = { start: eventTime, end: eventTime, count: 1 };
    let touchesFinal = false;
    for (let i = first; i < past; i++) {
      const s = sessions[i] as Session;
      merged.start = Math.min(merged.start, s.start);
      merged.end = Math.max(merged.end, s.end);
      merged.count += s.count;
      // Final whether or not close() has handed it back yet: the answer must not depend on when close() runs.
      if (this.finalAt(s) <= watermark) touchesFinal = true;
    }
    if (touchesFinal || this.finalAt(merged) <= watermark) return { outcome: 'too-late' };
    // It would touch a session already handed back: too late if that one is final by now, else closed early.
    if (eventTime < state.closedThrough) return { outcome: state.closedThrough + this.graceMs <= watermark ? 'too-late' : 'closed' };

    sessions.splice(first, past - first, merged);
    const evicted: ClosedSession[] = [];
    while (sessions.length > this.maxOpenSessions) {
      const oldest = sessions.shift();
      if (!oldest) break;
      state.closedThrough = Math.max(state.closedThrough, oldest.end + this.gapMs);
      evicted.push({ ...oldest, reason: this.finalAt(oldest) <= watermark ? 'final' : 'capacity' });
    }
    return { outcome: 'applied', session: { ...merged }, merged: past - first, evicted };
  }

  /** Removes and returns, oldest first, every session final at `watermark`. */
  close(state: SessionState, watermark: number): ClosedSession[] {
    let due = 0;
    // Disjoint and ordered by start, hence by end too: the final ones are a prefix.
    for (const s of state.sessions) {
      if (this.finalAt(s) > watermark) break;
      due++;
    }
    if (due === 0) return [];
    const closed = state.sessions.splice(0, due).map((s): ClosedSession => ({ ...s, reason: 'final' }));
    for (const s of closed) state.closedThrough = Math.max(state.closedThrough, s.end + this.gapMs);
    return closed;
  }
}
