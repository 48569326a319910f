import { RowTable, type RowLayout } from '../../engine/row-table';
import { headAt, intAt, setHead, setInt } from '../../engine/row-tails';
import type { RowCounter } from '../../engine/tumbling-counter';

/**
 * Per account: a row of its store's RowTable (engine/row-table.ts), not an
 * object; its own module so the codec can name it without importing the
 * detector. Nearly every account originates something, and as an object
 * (with its evidence log, two cadences, activity record and their arrays)
 * an ordinary account's state cost ≈ 500 bytes in eleven objects and boxed
 * numbers; as a row it is the head below and two short tails.
 *
 * A part a rule has not needed yet is marked in its first head number (the
 * record writes it as null, as it always has): -Infinity for a window start
 * or a busy minute, NaN for a time, 0 for the activity's hours in the window.
 *
 * The head, `h[at + i]` (times and window starts, and one policy number),
 * and the integer cells, `g[gi + i]` (flags, counts, positions, lengths):
 */
/** Cell: 1 while `s[0]` holds the last message's id (a fan-out is one event per recipient with one messageId). */
export const HAS_MESSAGE_ID = 0;
/** sustained_origination_rate: the current minute (minutes since the epoch; head) and its originations (cell; 0 before the first). */
export const CURRENT_MINUTE = 0;
export const MINUTE_COUNT = 1;
/**
 * Its run of busy minutes: the latest busy minute (head; -Infinity: no run yet), the run's start (head), minutes and
 * events (cells), the window it was last reported in (head).
 */
export const RUN_LAST_BUSY = 1;
export const RUN_START = 2;
export const RUN_MINUTES = 2;
export const RUN_EVENTS = 3;
export const RUN_REPORTED = 3;
/**
 * no_diurnal_rest: hours in the window (cell; 0: no record yet), end of the last reported span (head; NaN: none),
 * the active-hours cache (cell: active hours; head: the minimum per hour they were counted with, a policy number
 * that need not be whole), the active hours held (cell).
 */
export const ACTIVITY_SLOTS = 4;
export const ACTIVITY_REPORTED_UNTIL = 4;
export const ACTIVITY_ACTIVE = 5;
export const ACTIVITY_PER_HOUR = 5;
export const ACTIVITY_HOURS = 6;
/** Cells: the evidence log's entries held, entries per sample packed in one integer, and room (entries its segments hold: evidence-log.ts). */
export const EVIDENCE_SIZE = 7;
export const EVIDENCE_COUNTS = 8;
export const EVIDENCE_ROOM = 9;

/**
 * regular_interarrival's cadence of one kind: the time of its latest
 * origination (head; NaN: none yet, no cadence), the window its current
 * regular run was counted in (head; NaN: not in a run), its gap ring's next
 * position and gaps held (cells).
 */
export interface CadenceHead {
  readonly last: number;
  readonly runCountedIn: number;
  readonly next: number;
  readonly gaps: number;
}
export const CALLS: CadenceHead = Object.freeze({ last: 6, runCountedIn: 7, next: 10, gaps: 11 });
export const MESSAGES: CadenceHead = Object.freeze({ last: 8, runCountedIn: 9, next: 12, gaps: 13 });

/** regular_interarrival's regular runs in the current window: its start (head; -Infinity: none yet), runs and fired (cells). */
export const SPACING_START = 10;
export const SPACING_RUNS = 14;
export const SPACING_FIRED = 15;

/** A tumbling counter (window start, -Infinity while the rule never counted; count; fired): api_originations_per_hour, short_answered_calls. */
export const API_COUNTER: RowCounter = Object.freeze({ window: 11, count: 16, fired: 17 });
export const SHORT_CALLS_COUNTER: RowCounter = Object.freeze({ window: 12, count: 18, fired: 19 });

/**
 * The tails, one segment after another (lengths from the cells):
 * - `s`: the last message id (HAS_MESSAGE_ID) | evidence ids (EVIDENCE_ROOM);
 * - `n`: evidence times | evidence samples (EVIDENCE_ROOM each) | active
 *   hours (ACTIVITY_HOURS) | the calls' gaps | the messages' gaps.
 */
const NEVER = Number.NEGATIVE_INFINITY;
export const AUTOMATED_ORIGINATION_ROWS: RowLayout = Object.freeze({
  width: 13,
  fresh: Object.freeze([
    0, // CURRENT_MINUTE
    NEVER, NEVER, NEVER, // the run: last busy minute, start, reported window
    Number.NaN, 0, // activity: reported until, per hour
    Number.NaN, Number.NaN, // calls
    Number.NaN, Number.NaN, // messages
    NEVER, // spacing
    NEVER, // api
    NEVER, // short calls
  ]),
  ints: 20,
  freshInts: Object.freeze([
    0, // HAS_MESSAGE_ID
    0, // MINUTE_COUNT
    0, 0, // the run: minutes, events
    0, 0, 0, // activity: slots, active, hours
    0, 0, 0, // evidence: size, counts, room
    0, 0, 0, 0, // the cadences' next and gaps
    0, 0, // spacing: runs, fired
    0, 0, // api: count, fired
    0, 0, // short calls: count, fired
  ]),
});

export type AutomatedOriginationState = RowTable;

export const createState = (): AutomatedOriginationState => RowTable.single(AUTOMATED_ORIGINATION_ROWS);

/** Head number `i` and integer cell `i` (the engine's, re-exported for this folder). */
export { headAt, intAt, setHead, setInt };

/** Where the evidence ids start in `s`. */
export const evidenceIdsAt = (st: AutomatedOriginationState): number => intAt(st, HAS_MESSAGE_ID);
/** Where the active hours start in `n`. */
export const hoursAt = (st: AutomatedOriginationState): number => 2 * intAt(st, EVIDENCE_ROOM);
/** Where a cadence's gaps start in `n`. */
export const gapsAt = (st: AutomatedOriginationState, c: CadenceHead): number => hoursAt(st) + intAt(st, ACTIVITY_HOURS) + (c === MESSAGES ? intAt(st, CALLS.gaps) : 0);
