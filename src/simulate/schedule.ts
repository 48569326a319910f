import type { Activity } from './persona';

/**
 * Lazy activity streams. A persona plans its day as instants with a recipe
 * each (a few numbers per activity), and events are made only when the merge
 * reaches them, so a day of 10,000 accounts never sits in memory at once.
 */
export interface Planned {
  at: number;
  make(): Activity;
}

export function* inOrder(plans: Planned[]): Generator<Activity> {
  plans.sort((a, b) => a.at - b.at);
  for (const p of plans) yield p.make();
}

/** Several in-order streams of one group as one in-order stream. */
export function* interleave(...sources: Iterable<Activity>[]): Generator<Activity> {
  const iterators = sources.map((s) => s[Symbol.iterator]());
  const heads = iterators.map((it) => it.next());
  for (;;) {
    let best = -1;
    heads.forEach((h, i) => {
      const b = heads[best];
      if (!h.done && (b === undefined || b.done || h.value.at < b.value.at)) best = i;
    });
    const head = heads[best];
    if (head === undefined || head.done) return;
    yield head.value;
    heads[best] = (iterators[best] as Iterator<Activity>).next();
  }
}

/** The time of an activity's last event: when a person is free for the next thing. */
export function endOf(a: Activity): number {
  let last = a.at;
  for (const e of a.events) if (e.eventTime > last) last = e.eventTime;
  return last;
}
