import { blockOf, isNeighbour } from './callee-number';

/**
 * The last few distinct callees of one account with when each was last
 * dialled, and the callee dialled last: enough to tell a walk through a
 * number range (next number, or another number of the same small block when
 * the walk is shuffled) from redialling people the account already called.
 * Fixed size: the least recently dialled callee is overwritten.
 *
 * Every account that dials holds one, so it is one plain array of exactly
 * what it holds: [last, lastTime, number, time, number, time, …], the callee
 * dialled last first, then the ring's slots (callee numbers are up to 15
 * digits, kept unboxed in a double array). Empty until the first call:
 * there is then no last callee either. Separate arrays and fields would cost
 * two array headers and a boxed number per field on top.
 */
export class RecentCallees {
  /** Grown by one slot at a time (by copying: Array.push would reserve 17 slots), up to the cap. */
  slots: number[] = [];

  /** The callees in slot order (a copy). */
  get numbers(): number[] {
    const out: number[] = [];
    for (let i = HEAD; i < this.slots.length; i += 2) out.push(this.slots[i] ?? Number.NaN);
    return out;
  }

  /** The callee dialled last (latest event time), if any. */
  get last(): number | undefined {
    return this.slots.length === 0 ? undefined : this.slots[0];
  }

  get lastTime(): number {
    return this.slots[1] ?? Number.NEGATIVE_INFINITY;
  }
}

/** Where the ring's slots start: after last and lastTime. */
const HEAD = 2;

export type CalleeKind = 'repeat' | 'sequential' | 'other';

export interface WalkSettings {
  /** Only callees dialled this recently are compared. */
  lookbackMs: number;
  maxStep: number;
  blockDigits: number;
}

export function newRecentCallees(): RecentCallees {
  return new RecentCallees();
}

/**
 * How a newly dialled callee relates to the recent ones, then remembers it.
 * A redial is `repeat`: calling the same person again is not enumeration.
 */
export function classifyCallee(recent: RecentCallees, callee: number, eventTime: number, settings: WalkSettings, cap: number): CalleeKind {
  const since = eventTime - settings.lookbackMs;
  const block = blockOf(callee, settings.blockDigits);
  const s = recent.slots;
  let kind: CalleeKind = 'other';
  let slot = -1;
  let oldest = HEAD;
  for (let i = HEAD; i + 1 < s.length; i += 2) {
    const n = s[i] ?? Number.NaN;
    const t = s[i + 1] ?? Number.NEGATIVE_INFINITY;
    if (n === callee) slot = i;
    if (t < (s[oldest + 1] ?? Number.NEGATIVE_INFINITY)) oldest = i;
    if (t >= since && n !== callee && blockOf(n, settings.blockDigits) === block) kind = 'sequential';
  }
  const last = recent.last;
  if (slot >= 0 && (s[slot + 1] ?? Number.NEGATIVE_INFINITY) >= since) kind = 'repeat';
  else if (last !== undefined && recent.lastTime >= since && isNeighbour(last, callee, settings.maxStep)) kind = 'sequential';
  remember(recent, callee, eventTime, slot, oldest, cap);
  return kind;
}

function remember(recent: RecentCallees, callee: number, eventTime: number, slot: number, oldest: number, cap: number): void {
  if (recent.slots.length === 0) {
    recent.slots = [callee, eventTime, callee, eventTime];
    return;
  }
  const s = recent.slots;
  const count = (s.length - HEAD) / 2;
  if (slot < 0 && count < cap) recent.slots = s.concat(callee, eventTime);
  else {
    const at = slot >= 0 ? slot : oldest;
    s[at] = callee;
    // A redial keeps the later of its times (events may arrive slightly out of order).
    s[at + 1] = slot >= 0 ? Math.max(eventTime, s[at + 1] ?? Number.NEGATIVE_INFINITY) : eventTime;
  }
  if (eventTime >= recent.lastTime) {
    recent.slots[0] = callee;
    recent.slots[1] = eventTime;
  }
}
