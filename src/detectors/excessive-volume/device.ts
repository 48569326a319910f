import { addDistinct, newDistinctCounter, type DistinctCounter } from '../../engine/distinct-counter';
import { EvidenceRing } from '../../engine/evidence-ring';
import { countEvent, newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import type { CallEvent, MessageEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { Detector, DetectorContext, Finding } from '../types';
import { deviceVolumeCodec } from './codec';
import { DEVICE_ACCOUNTS_CAP, DEVICE_CALL_RULES, DEVICE_MESSAGE_RULES, DEVICE_VOLUME_RULES, type DeviceVolumeRule } from './device-rules';
import { FINDING_EVIDENCE, volumeFinding } from './volume-finding';

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
 */
interface DeviceWindow {
  count: TumblingCounter;
  /** The accounts seen on the device in this window (bounded by DEVICE_ACCOUNTS_CAP). */
  accounts: DistinctCounter;
}

interface DeviceKind {
  windows: DeviceWindow[];
  recent: EvidenceRing;
}

/** Kinds are created on first use: most devices only call or only text in a day. */
export interface DeviceVolumeState {
  calls?: DeviceKind;
  messages?: DeviceKind;
}

type Metric = 'calls' | 'messages';

function newKind(rules: readonly DeviceVolumeRule[]): DeviceKind {
  return { windows: rules.map(() => ({ count: newCounter(), accounts: newDistinctCounter() })), recent: new EvidenceRing(FINDING_EVIDENCE) };
}

function evaluateRule(rule: DeviceVolumeRule, w: DeviceWindow, kind: DeviceKind, metric: Metric, event: CallEvent | MessageEvent, ctx: DetectorContext): Finding[] {
  const config = ctx.rule(rule);
  if (!config) return [];
  if (countEvent(w.count, event.eventTime, config.windowMs) === 'late') {
    ctx.late(rule);
    return [];
  }
  const before = w.accounts.values.length;
  // Same window size as the count, so the two always agree on the window.
  addDistinct(w.accounts, event.accountId, event.eventTime, config.windowMs, DEVICE_ACCOUNTS_CAP);
  const joined = w.accounts.values.length > before;

  let flag: readonly string[];
  if (!w.count.fired) {
    if (w.count.count <= config.threshold) return [];
    w.count.fired = true;
    // The crossing event's account is flagged even when the account list is full.
    flag = w.accounts.values.includes(event.accountId) ? w.accounts.values : [...w.accounts.values, event.accountId];
  } else if (joined) {
    flag = [event.accountId];
  } else {
    return [];
  }
  const evidence = kind.recent.since(w.count.windowStart);
  const metrics = { [metric]: w.count.count, accounts: w.accounts.values.length };
  return flag.map((accountId) =>
    volumeFinding({ accountId, rule, config, windowStart: w.count.windowStart, detectedAt: event.eventTime, metrics, thresholds: { [metric]: config.threshold }, evidence }),
  );
}

function evaluate(kind: DeviceKind, rules: readonly DeviceVolumeRule[], metric: Metric, event: CallEvent | MessageEvent, ctx: DetectorContext): Finding[] {
  kind.recent.push(event.eventId, event.eventTime);
  const findings: Finding[] = [];
  rules.forEach((rule, i) => {
    const w = kind.windows[i];
    if (w) findings.push(...evaluateRule(rule, w, kind, metric, event, ctx));
  });
  return findings;
}

export const deviceVolume: Detector<DeviceVolumeState> = {
  name: 'excessive_volume_device',
  eventTypes: ['call', 'message'],
  defaults: DEVICE_VOLUME_RULES,
  keyOf: (event) => (event.type === 'call' || event.type === 'message' ? `device:${event.deviceId}` : event.accountId),
  stateTtlMs: (policy) => longestWindowMs(policy, [...DEVICE_CALL_RULES, ...DEVICE_MESSAGE_RULES]),
  createState: () => ({}),
  codec: deviceVolumeCodec,
  onEvent(state, event, ctx) {
    // A call is counted once, when dialled; its answer and end are the same call.
    if (event.type === 'call' && event.phase === 'start') {
      state.calls ??= newKind(DEVICE_CALL_RULES);
      return evaluate(state.calls, DEVICE_CALL_RULES, 'calls', event, ctx);
    }
    if (event.type === 'message') {
      state.messages ??= newKind(DEVICE_MESSAGE_RULES);
      return evaluate(state.messages, DEVICE_MESSAGE_RULES, 'messages', event, ctx);
    }
    return [];
  },
};
