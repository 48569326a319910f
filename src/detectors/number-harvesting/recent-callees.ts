import { blockOf, isNeighbour } from './callee-number';

/**
 * The last few distinct callees of one account with when each was last
 * dialled, and the callee dialled last: enough to tell a walk through a
 * number range (next number, or another number of the same small block when
 * the walk is shuffled) from redialling people the account already called.
 * Fixed size: the least recently dialled callee is overwritten.
 */
export interface RecentCallees {
  numbers: number[];
  times: number[];
  last: number | undefined;
  lastTime: number;
}

export type CalleeKind = 'repeat' | 'sequential' | 'other';

export interface WalkSettings {
  /** Only callees dialled this recently are compared. */
  lookbackMs: number;
  maxStep: number;
  blockDigits: number;
}

export function newRecentCallees(): RecentCallees {
  return { numbers: [], times: [], last: undefined, lastTime: Number.NEGATIVE_INFINITY };
}

/**
 * How a newly dialled callee relates to the recent ones, then remembers it.
 * A redial is `repeat`: calling the same person again is not enumeration.
 */
export function classifyCallee(recent: RecentCallees, callee: number, eventTime: number, settings: WalkSettings, cap: number): CalleeKind {
  const since = eventTime - settings.lookbackMs;
  const block = blockOf(callee, settings.blockDigits);
  let kind: CalleeKind = 'other';
  let slot = -1;
  let oldest = 0;
  for (let i = 0; i < recent.numbers.length; i++) {
    const n = recent.numbers[i] ?? Number.NaN;
    const t = recent.times[i] ?? Number.NEGATIVE_INFINITY;
    if (n === callee) slot = i;
    if (t < (recent.times[oldest] ?? Number.NEGATIVE_INFINITY)) oldest = i;
    if (t >= since && n !== callee && blockOf(n, settings.blockDigits) === block) kind = 'sequential';
  }
  if (slot >= 0 && (recent.times[slot] ?? Number.NEGATIVE_INFINITY) >= since) kind = 'repeat';
  else if (recent.last !== undefined && recent.lastTime >= since && isNeighbour(recent.last, callee, settings.maxStep)) kind = 'sequential';
  remember(recent, callee, eventTime, slot, oldest, cap);
  return kind;
}

function remember(recent: RecentCallees, callee: number, eventTime: number, slot: number, oldest: number, cap: number): void {
  if (slot < 0 && recent.numbers.length < cap) {
    recent.numbers.push(callee);
    recent.times.push(eventTime);
  } else {
    const at = slot >= 0 ? slot : oldest;
    recent.numbers[at] = callee;
    // A redial keeps the later of its times (events may arrive slightly out of order).
    recent.times[at] = slot >= 0 ? Math.max(eventTime, recent.times[at] ?? Number.NEGATIVE_INFINITY) : eventTime;
  }
  if (eventTime >= recent.lastTime) {
    recent.last = callee;
    recent.lastTime = eventTime;
  }
}
