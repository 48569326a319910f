import { setTailNumber, spliceNumbers, tailNumber } from '../../engine/row-tails';
import { blockOf, isNeighbour } from './callee-number';
import { intAt, RECENT, setInt, type NumberHarvestingState } from './state';

/**
 * The last few distinct callees of one account with when each was last
 * dialled, and the callee dialled last: enough to tell a walk through a
 * number range (next number, or another number of the same small block when
 * the walk is shuffled) from redialling people the account already called.
 * Fixed size: the least recently dialled callee is overwritten.
 *
 * Every account that dials holds one: the first segment of the row's `n`
 * (state.ts), [last, lastTime, number, time, number, time, …], the callee
 * dialled last first, then the ring's slots. Empty until the first call:
 * there is then no last callee either. It grows by one slot at a time up to
 * the cap, then is written in place.
 */

/** Where the ring's slots start: after last and lastTime. */
const HEAD = 2;

/** The callees in slot order (a copy). */
export function recentNumbers(st: NumberHarvestingState): number[] {
  const out: number[] = [];
  for (let i = HEAD; i < intAt(st, RECENT); i += 2) out.push(tailNumber(st, i, Number.NaN));
  return out;
}

export type CalleeKind = 'repeat' | 'sequential' | 'other';

export interface WalkSettings {
  /** Only callees dialled this recently are compared. */
  lookbackMs: number;
  maxStep: number;
  blockDigits: number;
}

/**
 * How a newly dialled callee relates to the recent ones, then remembers it.
 * A redial is `repeat`: calling the same person again is not enumeration.
 */
export function classifyCallee(st: NumberHarvestingState, callee: number, eventTime: number, settings: WalkSettings, cap: number): CalleeKind {
  const since = eventTime - settings.lookbackMs;
  const block = blockOf(callee, settings.blockDigits);
  const length = intAt(st, RECENT);
  let kind: CalleeKind = 'other';
  let slot = -1;
  let oldest = HEAD;
  for (let i = HEAD; i + 1 < length; i += 2) {
    const n = tailNumber(st, i, Number.NaN);
    const t = tailNumber(st, i + 1, Number.NEGATIVE_INFINITY);
    if (n === callee) slot = i;
    if (t < tailNumber(st, oldest + 1, Number.NEGATIVE_INFINITY)) oldest = i;
    if (t >= since && n !== callee && blockOf(n, settings.blockDigits) === block) kind = 'sequential';
  }
  const lastTime = length === 0 ? Number.NEGATIVE_INFINITY : tailNumber(st, 1, Number.NEGATIVE_INFINITY);
  if (slot >= 0 && tailNumber(st, slot + 1, Number.NEGATIVE_INFINITY) >= since) kind = 'repeat';
  else if (length > 0 && lastTime >= since && isNeighbour(tailNumber(st, 0, Number.NaN), callee, settings.maxStep)) kind = 'sequential';
  remember(st, callee, eventTime, slot, oldest, cap);
  return kind;
}

function remember(st: NumberHarvestingState, callee: number, eventTime: number, slot: number, oldest: number, cap: number): void {
  const length = intAt(st, RECENT);
  if (length === 0) {
    spliceNumbers(st, 0, 0, [callee, eventTime, callee, eventTime]);
    setInt(st, RECENT, 4);
    return;
  }
  const count = (length - HEAD) / 2;
  if (slot < 0 && count < cap) {
    spliceNumbers(st, length, 0, [callee, eventTime]);
    setInt(st, RECENT, length + 2);
  } else {
    const at = slot >= 0 ? slot : oldest;
    setTailNumber(st, at, callee);
    // A redial keeps the later of its times (events may arrive slightly out of order).
    setTailNumber(st, at + 1, slot >= 0 ? Math.max(eventTime, tailNumber(st, at + 1, Number.NEGATIVE_INFINITY)) : eventTime);
  }
  if (eventTime >= tailNumber(st, 1, Number.NEGATIVE_INFINITY)) {
    setTailNumber(st, 0, callee);
    setTailNumber(st, 1, eventTime);
  }
}
