import { insertTailNumber, insertTailString, setTailNumber, setTailString, spliceNumbers, spliceStrings, tailNumber, tailString } from '../../engine/row-tails';
import { MAX_OPEN_CALLS, OPEN_CALL_MAX_AGE_MS, RECENTLY_ENDED_CAP } from './rules';
import { ENDED, EVIDENCE, intAt, OPEN, setInt, type ConnectionTimeState, type OpenCall } from './state';

/**
 * Bookkeeping of the calls an account has up right now: opened on `answer`,
 * closed on `end` (or when presumed lost), with every list capped. Open calls
 * and recently ended call ids are segments of the row's tails (state.ts); an
 * account with no call up holds no entry for them.
 */

/** How many calls are up. */
export const openCount = (st: ConnectionTimeState): number => intAt(st, OPEN);

// Where the open calls' segments start: strings after the ended ids and evidence ids, numbers after the evidence times.
const idsAt = (st: ConnectionTimeState): number => intAt(st, ENDED) + intAt(st, EVIDENCE);
const timesAt = (st: ConnectionTimeState): number => intAt(st, EVIDENCE);

/** Open call `i` (answer order): when it was answered. */
export const answeredAt = (st: ConnectionTimeState, i: number): number => tailNumber(st, timesAt(st) + i, 0);

/** Open call `i`: its `answer` event's id (the evidence for it). */
export const answerEventId = (st: ConnectionTimeState, i: number): string => tailString(st, idsAt(st) + openCount(st) + i, '');

/** Open call `i`: long_call has dealt with it. */
export const longChecked = (st: ConnectionTimeState, i: number): boolean => tailNumber(st, timesAt(st) + openCount(st) + i, 0) !== 0;

/** Marks open call `i` as dealt with by long_call (its segment holds entries: written in place). */
export function markLongChecked(st: ConnectionTimeState, i: number): void {
  setTailNumber(st, timesAt(st) + openCount(st) + i, 1);
}

/** Open call `i` as an object (for the few paths that hand a call on). */
const openCallAt = (st: ConnectionTimeState, i: number): OpenCall => ({ answeredAt: answeredAt(st, i), answerEventId: answerEventId(st, i), longChecked: longChecked(st, i) });

function indexOfOpen(st: ConnectionTimeState, callId: string): number {
  const from = idsAt(st);
  const count = openCount(st);
  for (let i = 0; i < count; i++) if (tailString(st, from + i, '') === callId) return i;
  return -1;
}

function recentlyEnded(st: ConnectionTimeState, callId: string): boolean {
  const count = intAt(st, ENDED);
  for (let i = 0; i < count; i++) if (tailString(st, i, '') === callId) return true;
  return false;
}

/** Remembers an ended call id, newest last; past RECENTLY_ENDED_CAP the oldest goes (shifted in place: a full list is the row's own). */
function rememberEnded(st: ConnectionTimeState, callId: string): void {
  const count = intAt(st, ENDED);
  if (count < RECENTLY_ENDED_CAP) {
    insertTailString(st, count, callId);
    setInt(st, ENDED, count + 1);
    return;
  }
  for (let i = 1; i < count; i++) setTailString(st, i - 1, tailString(st, i, ''));
  setTailString(st, count - 1, callId);
}

/** Takes open call `i` out of the tails (each one shorter; none at all once the last has gone). */
function removeOpen(st: ConnectionTimeState, i: number): void {
  const count = openCount(st);
  const ids = idsAt(st);
  const times = timesAt(st);
  // The later segment first, so the earlier one's position still holds.
  spliceStrings(st, ids + count + i, 1, []);
  spliceStrings(st, ids + i, 1, []);
  spliceNumbers(st, times + count + i, 1, []);
  spliceNumbers(st, times + i, 1, []);
  setInt(st, OPEN, count - 1);
}

/** Opens a call; false when it is a repeat, already ended (an `answer` after its `end`), or over the cap. */
export function openCall(st: ConnectionTimeState, callId: string, at: number, eventId: string): boolean {
  if (indexOfOpen(st, callId) >= 0 || recentlyEnded(st, callId)) return false;
  // Past the cap the call is not tracked live; its `end` still reports its time.
  const count = openCount(st);
  if (count >= MAX_OPEN_CALLS) return false;
  const ids = idsAt(st);
  const times = timesAt(st);
  insertTailString(st, ids + 2 * count, eventId);
  insertTailString(st, ids + count, callId);
  insertTailNumber(st, times + 2 * count, 0);
  insertTailNumber(st, times + count, at);
  setInt(st, OPEN, count + 1);
  return true;
}

export type Ending = { kind: 'repeat' } | { kind: 'ended'; call: OpenCall | undefined };

const REPEAT: Ending = Object.freeze({ kind: 'repeat' });

/** Closes a call on its `end`; `repeat` for an `end` seen before (redelivery), which must not count twice. */
export function endCall(st: ConnectionTimeState, callId: string): Ending {
  if (recentlyEnded(st, callId)) return REPEAT;
  const i = indexOfOpen(st, callId);
  const call = i >= 0 ? openCallAt(st, i) : undefined;
  if (i >= 0) removeOpen(st, i);
  rememberEnded(st, callId);
  return { kind: 'ended', call };
}

const NONE_STALE: readonly OpenCall[] = Object.freeze([]);

/** Closes calls open for OPEN_CALL_MAX_AGE_MS by `now` (their `end` was presumably lost), in answer order; returns them. */
export function closeStale(st: ConnectionTimeState, now: number): readonly OpenCall[] {
  // Every call event asks; nearly always nothing is stale, so look before building anything.
  const count = openCount(st);
  let any = false;
  for (let i = 0; i < count && !any; i++) any = answeredAt(st, i) + OPEN_CALL_MAX_AGE_MS <= now;
  if (!any) return NONE_STALE;
  const stale: OpenCall[] = [];
  for (let i = 0; i < openCount(st); ) {
    if (answeredAt(st, i) + OPEN_CALL_MAX_AGE_MS > now) {
      i++;
      continue;
    }
    const callId = tailString(st, idsAt(st) + i, '');
    stale.push(openCallAt(st, i));
    removeOpen(st, i);
    rememberEnded(st, callId);
  }
  return stale;
}

/** What one pass over the open calls gives a wake-up: how many there are, and the first long-call moment after `after`. */
export interface OpenCallTimes {
  open: number;
  longCallAt: number;
}

/** Reused by every call (detectors run one at a time): read it before the next. */
const times: OpenCallTimes = { open: 0, longCallAt: Number.POSITIVE_INFINITY };

/**
 * Writes the answer times of the open calls into `out`, earliest first (`out`
 * may hold more), and, with the long-call limit `longOverMs`, finds the
 * earliest moment after `after` at which a call not yet dealt with passes it
 * (+Infinity when none). One pass and no arrays: a robocaller's every event
 * walks up to MAX_OPEN_CALLS calls, twice.
 */
export function answerTimes(st: ConnectionTimeState, out: number[], longOverMs: number, after: number): OpenCallTimes {
  const n = openCount(st);
  let longCallAt = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const answered = answeredAt(st, i);
    out[i] = answered;
    const at = answered + longOverMs;
    if (!longChecked(st, i) && at > after && at < longCallAt) longCallAt = at;
  }
  // Answers mostly arrive in order, so this insertion sort rarely moves anything; at most MAX_OPEN_CALLS entries.
  for (let i = 1; i < n; i++) {
    const a = out[i] as number;
    let j = i - 1;
    while (j >= 0 && (out[j] as number) > a) {
      out[j + 1] = out[j] as number;
      j--;
    }
    out[j + 1] = a;
  }
  times.open = n;
  times.longCallAt = longCallAt;
  return times;
}
