import type { CallEvent, MessageEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { Detector, DetectorContext, Finding } from '../types';
import { deviceVolumeCodec } from './codec';
import { listIncludes, listLength, listStart, readLists, writeLists } from './device-lists';
import { DEVICE_ACCOUNTS_CAP, DEVICE_CALL_RULES, DEVICE_MESSAGE_RULES, DEVICE_VOLUME_RULES } from './device-rules';
import { DEVICE_LAYOUT } from './layout';
import { countKind, type KindCount } from './count-kind';
import { counterCount, counterFired, counterWindowStart, markFired, ringSince, type Packed } from './packed';
import { volumeFinding } from './volume-finding';
import { concatFindings, NO_FINDINGS } from '../finding';
import { tailString, tailStrings } from '../../engine/row-tails';

/**
 * EXCESSIVE_VOLUME per device: calls or messages from one device over a
 * minute, an hour and a day, whichever accounts placed them. Catches a device
 * spread over several accounts to stay under each account's limit, and the one
 * busy device of a multi-device account.
 *
 * Violations are about accounts, so when a device crosses a limit every account
 * seen on it in that window is flagged, and an account that joins later in the
 * same window is flagged on its first event: once per rule, device, window and
 * account.
 *
 * The state, per device, is a row packed as DEVICE_LAYOUT says (layout.ts),
 * its account lists as device-lists.ts says, in the engine's columns.
 */
export type DeviceVolumeState = Packed;

type Metric = 'calls' | 'messages';
const L = DEVICE_LAYOUT;

/**
 * addDistinct on rule `w`'s account list (bounded by DEVICE_ACCOUNTS_CAP). The
 * list's window is always its counter's: both start fresh, and every counted
 * event moves both to the same window (same event time, same window size),
 * so `newWindow` (the count just moved to a later window) is when the list
 * starts over. Returns the list's length now. Allocates only when the lists
 * change (nearly every event finds its account already listed).
 */
function addAccount(state: DeviceVolumeState, w: number, length: number, accountId: string, newWindow: boolean): number {
  let replacement: string[];
  if (newWindow) {
    // Nothing to rewrite when the device's one account starts its next window.
    if (DEVICE_ACCOUNTS_CAP > 0 ? length === 1 && tailString(state, listStart(state, w), '') === accountId : length === 0) return length;
    replacement = DEVICE_ACCOUNTS_CAP > 0 ? [accountId] : [];
  } else {
    if (length >= DEVICE_ACCOUNTS_CAP) return length;
    const start = listStart(state, w);
    if (listIncludes(state, start, length, accountId)) return length;
    replacement = [...tailStrings(state, start, start + length), accountId];
  }
  const lists = readLists(state);
  lists[w] = replacement;
  writeLists(state, lists);
  return listLength(state, w);
}

/**
 * Accounts and findings of rule `r` once the event is counted. A device
 * flags every account in a window once it has crossed: a later account on
 * it is flagged on its first event, with the ring's evidence of the window.
 */
function evaluateRule(state: DeviceVolumeState, kind: number, r: number, metric: Metric, event: CallEvent | MessageEvent, counted: KindCount): readonly Finding[] {
  const config = counted.configs[r];
  if (!config || counted.late[r] === true) return NO_FINDINGS;
  const rule = L.kinds[kind]?.[r] ?? '';
  const c = L.counterAt(kind, r);
  const w = L.ruleIndex(kind, r);
  const before = listLength(state, w);
  const length = addAccount(state, w, before, event.accountId, counterWindowStart(state, c) !== counted.windowBefore[r]);
  const joined = length > before;

  let flag: readonly string[];
  if (!counterFired(state, c)) {
    if (counterCount(state, c) <= config.threshold) return NO_FINDINGS;
    markFired(state, c);
    const start = listStart(state, w);
    const accounts = tailStrings(state, start, start + length);
    // The crossing event's account is flagged even when the account list is full.
    flag = accounts.includes(event.accountId) ? accounts : [...accounts, event.accountId];
  } else if (joined) {
    flag = [event.accountId];
  } else {
    return NO_FINDINGS;
  }
  const windowStart = counterWindowStart(state, c);
  const evidence = ringSince(state, L.ring, kind, windowStart);
  const metrics = { [metric]: counterCount(state, c), accounts: length };
  return flag.map((accountId) =>
    volumeFinding({ accountId, rule, config, windowStart, detectedAt: event.eventTime, metrics, thresholds: { [metric]: config.threshold }, evidence }),
  );
}

/** `kind` is 0 for calls, 1 for messages (DEVICE_LAYOUT's order). */
function evaluate(state: DeviceVolumeState, kind: number, metric: Metric, event: CallEvent | MessageEvent, ctx: DetectorContext): readonly Finding[] {
  const rules = L.kinds[kind] ?? [];
  const counted = countKind(state, L, kind, event, ctx);
  let findings = NO_FINDINGS;
  for (let r = 0; r < rules.length; r++) findings = concatFindings(findings, evaluateRule(state, kind, r, metric, event, counted));
  return findings;
}

export const deviceVolume: Detector<DeviceVolumeState> = {
  name: 'excessive_volume_device',
  eventTypes: ['call', 'message'],
  defaults: DEVICE_VOLUME_RULES,
  keyOf: (event) => (event.type === 'call' || event.type === 'message' ? `device:${event.deviceId}` : event.accountId),
  stateTtlMs: (policy) => longestWindowMs(policy, [...DEVICE_CALL_RULES, ...DEVICE_MESSAGE_RULES]),
  createState: () => L.create(),
  rows: L.rows,
  codec: deviceVolumeCodec,
  onEvent(state, event, ctx) {
    // A call is counted once, when dialled; its answer and end are the same call.
    if (event.type === 'call' && event.phase === 'start') {
      return evaluate(state, 0, 'calls', event, ctx);
    }
    if (event.type === 'message') {
      return evaluate(state, 1, 'messages', event, ctx);
    }
    return NO_FINDINGS;
  },
};
