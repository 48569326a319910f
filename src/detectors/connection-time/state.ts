import { EvidenceRing } from '../../engine/evidence-ring';
import { windowStart } from '../../engine/window';
import { EVIDENCE_SAMPLE } from './rules';

/** A call that was answered and has not ended yet. */
export interface OpenCall {
  readonly answeredAt: number;
  readonly answerEventId: string;
  /** long_call has dealt with this call (flagged it, or its window had already fired): never again. */
  longChecked: boolean;
}

/** Once per rule and window: the window of the latest finding, and whether it fired. */
export interface FireOnce {
  windowStart: number;
  fired: boolean;
}

/** Connected time of one account in the current window: ended calls; open calls are added when asked. */
export interface DailyTotal {
  windowStart: number;
  closedMs: number;
  fired: boolean;
}

export interface ConnectionTimeState {
  /** By callId, in answer order; at most MAX_OPEN_CALLS. */
  open: Map<string, OpenCall>;
  /** Ids of calls that ended, newest last; at most RECENTLY_ENDED_CAP. */
  recentlyEnded: string[];
  longCall: FireOnce;
  concurrent: FireOnce;
  daily: DailyTotal;
  /** `end` events of connected calls: the daily rule's evidence besides the open calls. */
  endedEvidence: EvidenceRing;
  /** Earliest timer this state has asked for and not seen fire; +Infinity when none. */
  wakeAt: number;
}

export function createState(): ConnectionTimeState {
  return {
    open: new Map(),
    recentlyEnded: [],
    longCall: { windowStart: Number.NEGATIVE_INFINITY, fired: false },
    concurrent: { windowStart: Number.NEGATIVE_INFINITY, fired: false },
    daily: { windowStart: Number.NEGATIVE_INFINITY, closedMs: 0, fired: false },
    endedEvidence: new EvidenceRing(EVIDENCE_SAMPLE),
    wakeAt: Number.POSITIVE_INFINITY,
  };
}

/**
 * Claims the one finding of a rule for the window of `time`. `late` when a
 * later window has already replaced it (what happened there is forgotten).
 */
export function claim(guard: FireOnce, time: number, windowMs: number): 'fire' | 'already' | 'late' {
  const start = windowStart(time, windowMs);
  if (start < guard.windowStart) return 'late';
  if (start > guard.windowStart) {
    guard.windowStart = start;
    guard.fired = false;
  }
  if (guard.fired) return 'already';
  guard.fired = true;
  return 'fire';
}
