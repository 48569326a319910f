import { appendBounded, NONE } from './evidence-log';
import { MAX_OPEN_CALLS, OPEN_CALL_MAX_AGE_MS, RECENTLY_ENDED_CAP } from './rules';
import { NO_OPEN_CALLS, type ConnectionTimeState, type OpenCall } from './state';

/**
 * Bookkeeping of the calls an account has up right now: opened on `answer`,
 * closed on `end` (or when presumed lost), with every collection capped. An
 * account with no call up holds no map of its own (NO_OPEN_CALLS).
 */
function rememberEnded(state: ConnectionTimeState, callId: string): void {
  state.recentlyEnded = appendBounded(state.recentlyEnded, callId, RECENTLY_ENDED_CAP);
}

/** Gives the shared empty map back once the last call has ended. */
function releaseIfEmpty(state: ConnectionTimeState): void {
  if (state.open.size === 0) state.open = NO_OPEN_CALLS;
}

/** Opens a call; false when it is a repeat, already ended (an `answer` after its `end`), or over the cap. */
export function openCall(state: ConnectionTimeState, callId: string, answeredAt: number, answerEventId: string): boolean {
  if (state.open.has(callId) || state.recentlyEnded.includes(callId)) return false;
  // Past the cap the call is not tracked live; its `end` still reports its time.
  if (state.open.size >= MAX_OPEN_CALLS) return false;
  if (state.open === NO_OPEN_CALLS) state.open = new Map();
  state.open.set(callId, { answeredAt, answerEventId, longChecked: false });
  return true;
}

export type Ending = { kind: 'repeat' } | { kind: 'ended'; call: OpenCall | undefined };

/** Closes a call on its `end`; `repeat` for an `end` seen before (redelivery), which must not count twice. */
export function endCall(state: ConnectionTimeState, callId: string): Ending {
  if (state.recentlyEnded.includes(callId)) return { kind: 'repeat' };
  const call = state.open.get(callId);
  if (call) {
    state.open.delete(callId);
    releaseIfEmpty(state);
  }
  rememberEnded(state, callId);
  return { kind: 'ended', call };
}

/** Closes calls open for OPEN_CALL_MAX_AGE_MS by `now` (their `end` was presumably lost); returns them. */
export function closeStale(state: ConnectionTimeState, now: number): readonly OpenCall[] {
  // Every call event asks; nearly always nothing is stale, so look before building anything (for-of over a Map allocates).
  if (state.open.size === 0) return NONE;
  let any = false;
  state.open.forEach((call) => {
    if (call.answeredAt + OPEN_CALL_MAX_AGE_MS <= now) any = true;
  });
  if (!any) return NONE;
  const stale: OpenCall[] = [];
  for (const [callId, call] of state.open) {
    if (call.answeredAt + OPEN_CALL_MAX_AGE_MS > now) continue;
    state.open.delete(callId);
    rememberEnded(state, callId);
    stale.push(call);
  }
  releaseIfEmpty(state);
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
export function answerTimes(state: ConnectionTimeState, out: number[], longOverMs: number, after: number): OpenCallTimes {
  let n = 0;
  let longCallAt = Number.POSITIVE_INFINITY;
  for (const call of state.open.values()) {
    out[n++] = call.answeredAt;
    const at = call.answeredAt + longOverMs;
    if (!call.longChecked && at > after && at < longCallAt) longCallAt = at;
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
