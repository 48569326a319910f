import { RowTable, type RowLayout } from '../../engine/row-table';
import { headAt, setHead } from '../../engine/row-tails';

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
 * The head, `h[at + i]`:
 */
/** 1 while `s[0]` holds the last message's id (a fan-out is one event per recipient with one messageId). */
export const HAS_MESSAGE_ID = 0;
/** sustained_origination_rate: the current minute (minutes since the epoch) and its originations (0 before the first). */
export const CURRENT_MINUTE = 1;
export const MINUTE_COUNT = 2;
/** Its run of busy minutes: the latest busy minute (-Infinity: no run yet), the run's start, minutes, events, the window it was last reported in. */
export const RUN_LAST_BUSY = 3;
export const RUN_START = 4;
export const RUN_MINUTES = 5;
export const RUN_EVENTS = 6;
export const RUN_REPORTED = 7;
/** no_diurnal_rest: hours in the window (0: no record yet), end of the last reported span (NaN: none), the active-hours cache, the active hours held. */
export const ACTIVITY_SLOTS = 8;
export const ACTIVITY_REPORTED_UNTIL = 9;
export const ACTIVITY_ACTIVE = 10;
export const ACTIVITY_PER_HOUR = 11;
export const ACTIVITY_HOURS = 12;
/** The evidence log: entries held, entries per sample packed in one integer, and room (entries its segments hold: evidence-log.ts). */
export const EVIDENCE_SIZE = 13;
export const EVIDENCE_COUNTS = 14;
export const EVIDENCE_ROOM = 32;

/**
 * regular_interarrival's cadence of one kind: the time of its latest
 * origination (NaN: none yet, no cadence), the window its current regular run
 * was counted in (NaN: not in a run), its gap ring's next position and gaps held.
 */
export interface CadenceHead {
  readonly last: number;
  readonly runCountedIn: number;
  readonly next: number;
  readonly gaps: number;
}
export const CALLS: CadenceHead = Object.freeze({ last: 15, runCountedIn: 16, next: 17, gaps: 18 });
export const MESSAGES: CadenceHead = Object.freeze({ last: 19, runCountedIn: 20, next: 21, gaps: 22 });

/** regular_interarrival's regular runs in the current window: its start (-Infinity: none yet), runs, fired. */
export const SPACING_START = 23;
export const SPACING_RUNS = 24;
export const SPACING_FIRED = 25;

/** A tumbling counter (window start, -Infinity while the rule never counted; count; fired): api_originations_per_hour, short_answered_calls. */
export const API_COUNTER = 26;
export const SHORT_CALLS_COUNTER = 29;

/**
 * The tails, one segment after another (lengths from the head):
 * - `s`: the last message id (HAS_MESSAGE_ID) | evidence ids (EVIDENCE_ROOM);
 * - `n`: evidence times | evidence samples (EVIDENCE_ROOM each) | active
 *   hours (ACTIVITY_HOURS) | the calls' gaps | the messages' gaps.
 */
const NEVER = Number.NEGATIVE_INFINITY;
export const AUTOMATED_ORIGINATION_ROWS: RowLayout = Object.freeze({
  width: 33,
  fresh: Object.freeze([
    0, // HAS_MESSAGE_ID
    0, 0, // CURRENT_MINUTE, MINUTE_COUNT
    NEVER, NEVER, 0, 0, NEVER, // the run
    0, Number.NaN, 0, 0, 0, // activity
    0, 0, // evidence
    Number.NaN, Number.NaN, 0, 0, // calls
    Number.NaN, Number.NaN, 0, 0, // messages
    NEVER, 0, 0, // spacing
    NEVER, 0, 0, // api
    NEVER, 0, 0, // short calls
    0, // EVIDENCE_ROOM
  ]),
});

export type AutomatedOriginationState = RowTable;

export const createState = (): AutomatedOriginationState => RowTable.single(AUTOMATED_ORIGINATION_ROWS);

/** Head number `i` (the engine's, re-exported for this folder). */
export { headAt, setHead };

/** Where the evidence ids start in `s`. */
export const evidenceIdsAt = (st: AutomatedOriginationState): number => headAt(st, HAS_MESSAGE_ID);
/** Where the active hours start in `n`. */
export const hoursAt = (st: AutomatedOriginationState): number => 2 * headAt(st, EVIDENCE_ROOM);
/** Where a cadence's gaps start in `n`. */
export const gapsAt = (st: AutomatedOriginationState, c: CadenceHead): number => hoursAt(st) + headAt(st, ACTIVITY_HOURS) + (c === MESSAGES ? headAt(st, CALLS.gaps) : 0);
