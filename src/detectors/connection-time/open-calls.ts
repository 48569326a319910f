import { appendBounded } from './evidence-log';
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
export function closeStale(state: ConnectionTimeState, now: number): OpenCall[] {
  const stale: OpenCall[] = [];
  for (const [callId, call] of state.open) {
    if (call.answeredAt + OPEN_CALL_MAX_AGE_MS > now) continue;
    state.open.delete(callId);
    rememberEnded(state, callId);
    stale.push(call);
  }
  if (stale.length > 0) releaseIfEmpty(state);
  return stale;
}

/** Answer times of the open calls, earliest first. */
export function answerTimes(state: ConnectionTimeState): number[] {
  return [...state.open.values()].map((c) => c.answeredAt).sort((a, b) => a - b);
}
