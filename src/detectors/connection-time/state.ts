import { windowStart } from '../../engine/window';
import { EvidenceLog, NONE } from './evidence-log';

/**
 * Per account. Most accounts make a few calls a day and never come near a
 * limit, so the state is shaped for them: parts a rule only needs once it
 * fires, or while a call is up, start as shared read-only values (below) and
 * are replaced by the account's own on first change; lists are exact-size
 * arrays (an array grown by push() keeps room for 16 more entries).
 */

/** A call that was answered and has not ended yet. */
export interface OpenCall {
  readonly answeredAt: number;
  readonly answerEventId: string;
  /** long_call has dealt with this call (flagged it, or its window had already fired): never again. */
  longChecked: boolean;
}

/** Once per rule and window: the window of the latest finding, and whether it fired. Replaced, never changed in place. */
export interface FireOnce {
  readonly windowStart: number;
  readonly fired: boolean;
}

/** Connected time of one account in the current window: ended calls; open calls are added when asked. */
export interface DailyTotal {
  windowStart: number;
  closedMs: number;
  fired: boolean;
}

export interface ConnectionTimeState {
  /** By callId, in answer order; at most MAX_OPEN_CALLS. NO_OPEN_CALLS while none is up (most of the time). */
  open: Map<string, OpenCall>;
  /** Ids of calls that ended, newest last; at most RECENTLY_ENDED_CAP. Exact size: grown one at a time, shifted in place once full. */
  recentlyEnded: string[];
  /** NEVER_FIRED until the rule first fires for the account. */
  longCall: FireOnce;
  concurrent: FireOnce;
  /** NO_DAY until the daily rule first counts a call; the account's own object from then on (replaced each window). */
  daily: DailyTotal;
  /** `end` events of connected calls: the daily rule's evidence besides the open calls. */
  endedEvidence: EvidenceLog;
  /** Earliest timer this state has asked for and not seen fire; +Infinity when none. */
  wakeAt: number;
}

/**
 * The open-call map of every account with no call up: shared, so it refuses
 * writes (openCall() gives the account its own map first, and drops it again
 * once its last call has ended: an empty Map still costs about 180 bytes).
 */
class NoOpenCalls extends Map<string, OpenCall> {
  override set(): this {
    throw new TypeError('connection_time: the shared empty open-call map is read-only');
  }
}
export const NO_OPEN_CALLS: Map<string, OpenCall> = new NoOpenCalls();

/** A rule that never fired for the account. Frozen: shared by every such account. */
export const NEVER_FIRED: FireOnce = Object.freeze({ windowStart: Number.NEGATIVE_INFINITY, fired: false });

/** No day counted yet. Frozen: shared, and rollDaily() replaces it before anything is added. */
export const NO_DAY: DailyTotal = Object.freeze({ windowStart: Number.NEGATIVE_INFINITY, closedMs: 0, fired: false });

export function createState(): ConnectionTimeState {
  return {
    open: NO_OPEN_CALLS,
    recentlyEnded: NONE,
    longCall: NEVER_FIRED,
    concurrent: NEVER_FIRED,
    daily: NO_DAY,
    endedEvidence: new EvidenceLog(),
    wakeAt: Number.POSITIVE_INFINITY,
  };
}

export type GuardedRule = 'longCall' | 'concurrent';

/**
 * Claims the one finding of a rule for the window of `time`. `late` when a
 * later window has already replaced it (what happened there is forgotten).
 */
export function claim(state: ConnectionTimeState, rule: GuardedRule, time: number, windowMs: number): 'fire' | 'already' | 'late' {
  const guard = state[rule];
  const start = windowStart(time, windowMs);
  if (start < guard.windowStart) return 'late';
  if (start === guard.windowStart && guard.fired) return 'already';
  state[rule] = { windowStart: start, fired: true };
  return 'fire';
}
