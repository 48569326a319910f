import { EvidenceRing } from '../../engine/evidence-ring';
import { countEvent, newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import type { TelemetryEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { Policy } from '../../policy/types';
import type { Detector, DetectorContext, Finding } from '../types';
import { volumeCodec } from './codec';
import { CALL_RULES, MESSAGE_RULES, VOLUME_RULES, type VolumeRule } from './rules';

/**
 * EXCESSIVE_VOLUME: calls or messages per account over a minute, an hour and
 * a day (tumbling, event time). A finding fires the moment a count passes its
 * threshold, once per rule, account and window.
 */
export const EVIDENCE_SAMPLE = 10;

interface KindState {
  counters: TumblingCounter[];
  recent: EvidenceRing;
}

export interface VolumeState {
  calls: KindState;
  messages: KindState;
}

function kindState(rules: readonly VolumeRule[]): KindState {
  return { counters: rules.map(() => newCounter()), recent: new EvidenceRing(EVIDENCE_SAMPLE) };
}

function evaluate(
  kind: KindState,
  rules: readonly VolumeRule[],
  metric: 'calls' | 'messages',
  event: TelemetryEvent,
  ctx: DetectorContext,
): Finding[] {
  kind.recent.push(event.eventId, event.eventTime);
  const findings: Finding[] = [];
  rules.forEach((rule, i) => {
    const config = ctx.rule(rule);
    const counter = kind.counters[i];
    if (!config || !counter) return;
    if (countEvent(counter, event.eventTime, config.windowMs) === 'late') {
      ctx.late(rule);
      return;
    }
    if (counter.fired || counter.count <= config.threshold) return;
    counter.fired = true;
    findings.push({
      accountId: event.accountId,
      category: 'EXCESSIVE_VOLUME',
      rule,
      severity: config.severity,
      action: config.action,
      windowStart: counter.windowStart,
      windowEnd: counter.windowStart + config.windowMs,
      detectedAt: event.eventTime,
      metrics: { [metric]: counter.count },
      thresholds: { [metric]: config.threshold },
      evidence: kind.recent.since(counter.windowStart),
    });
  });
  return findings;
}

export const excessiveVolume: Detector<VolumeState> = {
  name: 'excessive_volume',
  eventTypes: ['call', 'message'],
  defaults: VOLUME_RULES,
  keyOf: (event) => event.accountId,
  stateTtlMs: (policy: Policy) => longestWindowMs(policy, [...CALL_RULES, ...MESSAGE_RULES]),
  createState: () => ({ calls: kindState(CALL_RULES), messages: kindState(MESSAGE_RULES) }),
  codec: volumeCodec,
  onEvent(state, event, ctx) {
    // A call is counted once, when dialled; its answer and end are the same call.
    if (event.type === 'call') return event.phase === 'start' ? evaluate(state.calls, CALL_RULES, 'calls', event, ctx) : [];
    if (event.type === 'message') return evaluate(state.messages, MESSAGE_RULES, 'messages', event, ctx);
    return [];
  },
};

// The per-device and flood detectors of the same category, each with its own state key.
export { contactFlood, type ContactFloodState } from './contact-flood';
export { deviceVolume, type DeviceVolumeState } from './device';
export { DEVICE_VOLUME_RULES } from './device-rules';
export { fewNumbersFlood, type FewNumbersState } from './few-numbers';
export { CONTACT_FLOOD_RULES, FEW_NUMBERS_RULES } from './flood-rules';
