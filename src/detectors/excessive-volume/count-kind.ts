import type { RuleConfig } from '../../policy/types';
import type { DetectorContext } from '../types';
import type { KindsLayout } from './layout';
import { countAt, counterCount, counterWindowStart, ringClear, ringPush, type Packed } from './packed';

/** What countKind() leaves per rule of the kind, for the caller's findings. */
export interface KindCount {
  /** The rule's config (null: the rule is off). */
  readonly configs: (Readonly<RuleConfig> | null)[];
  /** Whether the event fell before the rule's current window (counted as late, not in the window). */
  readonly late: boolean[];
  /** The rule's window before the event was counted. */
  readonly windowBefore: number[];
}

/** One scratch for every call: detectors evaluate one event at a time, and a caller reads it before the next. */
const scratch: KindCount = { configs: [], late: [], windowBefore: [] };

/**
 * Counts a dialled call or a message in every rule of `kind` (late ones are
 * reported, not counted), then keeps its id in the kind's evidence ring only
 * while a rule is within the ring's capacity of its threshold or past it in
 * its current window, and empties the ring once none is.
 *
 * Why that is enough: a finding's evidence is the ring's ids of its window,
 * and a rule's last `capacity` events before it fires all find it that near,
 * as does every event of the rest of its window once it has fired (a device
 * flags accounts that join later with the same evidence). So findings carry
 * the ids a ring kept always would give, while an ordinary account or device
 * keeps none. After a hot reload that lowers a limit, a finding may carry
 * fewer ids.
 */
export function countKind(state: Packed, layout: KindsLayout, kind: number, event: { eventId: string; eventTime: number }, ctx: DetectorContext): KindCount {
  const { configs, late, windowBefore } = scratch;
  const rules = layout.kinds[kind] ?? [];
  let near = false;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r] as string;
    const config = ctx.rule(rule);
    configs[r] = config ?? null;
    late[r] = false;
    if (!config) continue;
    const c = layout.counterAt(kind, r);
    windowBefore[r] = counterWindowStart(state, c);
    if (countAt(state, c, event.eventTime, config.windowMs) === 'late') {
      ctx.late(rule);
      late[r] = true;
    }
    if (counterCount(state, c) > config.threshold - layout.ring.capacity) near = true;
  }
  if (near) ringPush(state, layout.ring, kind, event.eventId, event.eventTime);
  else ringClear(state, layout.ring, kind);
  return scratch;
}
