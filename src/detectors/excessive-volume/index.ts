import type { TelemetryEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { Policy } from '../../policy/types';
import type { Detector, DetectorContext, Finding } from '../types';
import { volumeCodec } from './codec';
import { VOLUME_LAYOUT } from './layout';
import { countKind } from './count-kind';
import { counterCount, counterFired, counterWindowStart, markFired, ringSince, type Packed } from './packed';
import { CALL_RULES, MESSAGE_RULES, VOLUME_RULES } from './rules';
import { NO_FINDINGS } from '../finding';

/**
 * EXCESSIVE_VOLUME: calls or messages per account over a minute, an hour and
 * a day (tumbling, event time). A finding fires the moment a count passes its
 * threshold, once per rule, account and window.
 */
export { EVIDENCE_SAMPLE } from './layout';

/** Per account, a row packed as VOLUME_LAYOUT says (layout.ts), in the engine's columns. */
export type VolumeState = Packed;

const L = VOLUME_LAYOUT;

/** `kind` is 0 for calls, 1 for messages (VOLUME_LAYOUT's order). */
function evaluate(state: VolumeState, kind: number, metric: 'calls' | 'messages', event: TelemetryEvent, ctx: DetectorContext): readonly Finding[] {
  const rules = L.kinds[kind] ?? [];
  const { configs, late } = countKind(state, L, kind, event, ctx);
  // Made only when a rule fires: on nearly every event none does.
  let findings: Finding[] | undefined;
  for (let r = 0; r < rules.length; r++) {
    const config = configs[r];
    if (!config || late[r] === true) continue;
    const c = L.counterAt(kind, r);
    const count = counterCount(state, c);
    if (counterFired(state, c) || count <= config.threshold) continue;
    markFired(state, c);
    const windowStart = counterWindowStart(state, c);
    (findings ??= []).push({
      accountId: event.accountId,
      category: 'EXCESSIVE_VOLUME',
      rule: rules[r] as string,
      severity: config.severity,
      action: config.action,
      windowStart,
      windowEnd: windowStart + config.windowMs,
      detectedAt: event.eventTime,
      metrics: { [metric]: count },
      thresholds: { [metric]: config.threshold },
      evidence: ringSince(state, L.ring, kind, windowStart),
    });
  }
  return findings ?? NO_FINDINGS;
}

export const excessiveVolume: Detector<VolumeState> = {
  name: 'excessive_volume',
  eventTypes: ['call', 'message'],
  defaults: VOLUME_RULES,
  keyOf: (event) => event.accountId,
  stateTtlMs: (policy: Policy) => longestWindowMs(policy, [...CALL_RULES, ...MESSAGE_RULES]),
  createState: () => L.create(),
  rows: L.rows,
  codec: volumeCodec,
  onEvent(state, event, ctx) {
    // A call is counted once, when dialled; its answer and end are the same call.
    if (event.type === 'call') return event.phase === 'start' ? evaluate(state, 0, 'calls', event, ctx) : NO_FINDINGS;
    if (event.type === 'message') return evaluate(state, 1, 'messages', event, ctx);
    return NO_FINDINGS;
  },
};

// The per-device and flood detectors of the same category, each with its own state key.
export { contactFlood, type ContactFloodState } from './contact-flood';
export { deviceVolume, type DeviceVolumeState } from './device';
export { DEVICE_VOLUME_RULES } from './device-rules';
export { fewNumbersFlood, type FewNumbersState } from './few-numbers';
export { CONTACT_FLOOD_RULES, FEW_NUMBERS_RULES } from './flood-rules';
