/**
 * Windows: how the detector decides which events count together
 * ==============================================================
 *
 * Time model
 * ----------
 * - Event time is the time written in the event (when the call or message
 *   happened). Every window is computed from event time, never from when the
 *   detector happened to receive the event, so a replay of yesterday gives
 *   the same findings as yesterday's live run. Nothing in this folder reads a
 *   clock: the caller passes every time in.
 * - Stream time of a partition is the highest event time seen on it.
 * - The watermark of a partition is its stream time minus the allowed
 *   disorder (ALLOWED_DISORDER_MS in the run configuration). It means
 *   "we assume every event before this time has arrived". An event older
 *   than the watermark is *late*.
 * - The low watermark is the lowest watermark over the partitions this
 *   process owns. Things that concern all keys (closing windows, forgetting
 *   state) follow it. It never goes backwards.
 *
 * Window kinds
 * ------------
 * - Tumbling (assigners.ts): fixed, back-to-back windows aligned to the
 *   epoch (00:00:00 UTC, 1 Jan 1970), start included, end excluded. "More
 *   than 100 calls per hour" counts 10:00–10:59:59.999, then 11:00–…
 * - Hopping (assigners.ts): fixed windows of a size starting every advance,
 *   so they overlap: a 1 h window every 5 min. An event is in several.
 * - Sliding count (sliding-count.ts): "more than N events within any X ms",
 *   measured between the events themselves, so a burst across 10:59–11:01 is
 *   caught, which tumbling windows miss.
 * - Session (session-window.ts): a burst of activity; events less than the
 *   gap apart belong to one session, however long it lasts. An event that
 *   arrives late and falls between two sessions joins them into one.
 *
 * Grace and lateness
 * ------------------
 * - A window (or session) stays open until the watermark reaches its end
 *   plus the grace period. Late events that arrive before then are counted.
 * - After that the window is *final*: its result is handed to the detector
 *   once, and an event that arrives for it afterwards is *too late*. Too-late
 *   events are reported (abuse_late_events_total, labelled by detector and
 *   rule), never counted and never used to reopen the window. A rising
 *   late-event count means the allowed disorder or the grace is too short
 *   for how far behind some producer is.
 * - Finality: tumbling and hopping windows at watermark ≥ end + grace;
 *   sessions at watermark ≥ last event + gap + grace; a sliding span
 *   (s − X, s] once the watermark passes s, so an event at or before
 *   watermark − X, which lies in no open span, is too late.
 * - A window or session closed early by its cap (see Memory bounds) also
 *   refuses later events; those are reported as `closed`.
 *
 * Sessions
 * --------
 * Each session reports its start (first event), end (last event) and count.
 * A session of one key is held while it can still grow; when its gap and
 * grace have passed it is final and handed back.
 *
 * Duplicates
 * ----------
 * Kafka delivers at least once: after a restart the records since the last
 * commit come again. The duplicate filter (duplicate-filter.ts) remembers the
 * most recent event ids so a redelivered event is not counted twice; it must
 * be checked before an event reaches any window.
 *
 * Idle partitions
 * ---------------
 * A partition with no traffic would hold the low watermark back forever and
 * no window would close. A partition that has received nothing for more than
 * the idle timeout, measured in processing time (the consumer's clock), stops
 * holding it back. When every partition is idle the low watermark moves to
 * the highest partition watermark, so windows the busier partitions had
 * already passed close without waiting for the quiet ones. (Event time does
 * not move without events: a window that ends after the newest event of all
 * closes when traffic resumes.) When an idle partition receives events again
 * it rejoins at once; its events older than the low watermark are late and
 * reported as above. Set the idle timeout above the longest normal pause of
 * a partition: too short, and a slow partition's events turn late.
 *
 * Memory bounds
 * -------------
 * Every structure here has a cap: open windows per key
 * (DEFAULT_MAX_OPEN_WINDOWS), open sessions per key
 * (DEFAULT_MAX_OPEN_SESSIONS), kept event times per sliding count (2 × (N+1)
 * by default), remembered ids per duplicate filter. Past a cap the oldest
 * entry is closed or forgotten first and the caller is told, so a flood or a
 * skewed clock costs accuracy on the oldest data, never unbounded memory.
 *
 * State is plain data (or a class with toData/fromData) so the changelog can
 * persist it; the operators (WindowedAggregate, SlidingCount, SessionWindows)
 * hold only configuration.
 */
export { hopping, tumbling, type WindowAssigner } from './assigners';
export type { WindowBounds } from '../window';
export {
  DEFAULT_MAX_OPEN_WINDOWS,
  WindowedAggregate,
  type AddResult,
  type ClosedWindow,
  type CloseReason,
  type OpenWindow,
  type WindowedAggregateOptions,
  type WindowedAggregateState,
  type WindowOutcome,
} from './windowed-aggregate';
export { SlidingCount, type SlidingCountOptions, type SlidingCountState, type SlidingOutcome } from './sliding-count';
export {
  DEFAULT_MAX_OPEN_SESSIONS,
  SessionWindows,
  type ClosedSession,
  type Session,
  type SessionAddResult,
  type SessionState,
  type SessionWindowOptions,
} from './session-window';
export { DuplicateFilter, type DuplicateFilterData, type DuplicateVerdict } from './duplicate-filter';
export { Watermarks, type WatermarkOptions, type WatermarksData } from './watermarks';
