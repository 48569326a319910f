import { EvidenceRing } from '../../engine/evidence-ring';
import { windowStart } from '../../engine/window';
import type { CallEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { incomeFinding } from './finding';
import { highRiskOf, type HighRiskHolder } from './high-risk-state';
import { EVIDENCE_SAMPLE } from './rules';
import { NO_FINDINGS } from '../finding';

/**
 * high_risk_connected_minutes: connected time to high-risk numbers per
 * window, from the `durationMs` of `end` events (the time the holder of the
 * number is paid for). Counted in the window of the call's end.
 */
const RULE = 'high_risk_connected_minutes';
const MINUTE = 60_000;

export interface ConnectedTimeState {
  windowStart: number;
  connectedMs: number;
  calls: number;
  fired: boolean;
  evidence: EvidenceRing;
}

export function newConnectedTime(): ConnectedTimeState {
  return { windowStart: Number.NEGATIVE_INFINITY, connectedMs: 0, calls: 0, fired: false, evidence: new EvidenceRing(EVIDENCE_SAMPLE) };
}

/** Minutes to one decimal: enough to read, no false precision. */
const minutes = (ms: number): number => Math.round(ms / 6_000) / 10;

/** `event` is the end of a connected call (durationMs > 0) to a high-risk, not allow-listed number. */
export function onHighRiskEnd(account: HighRiskHolder, event: CallEvent, durationMs: number, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return NO_FINDINGS;
  const state = (highRiskOf(account).connected ??= newConnectedTime());
  const start = windowStart(event.eventTime, config.windowMs);
  if (start < state.windowStart) {
    ctx.late(RULE);
    return NO_FINDINGS;
  }
  if (start > state.windowStart) {
    state.windowStart = start;
    state.connectedMs = 0;
    state.calls = 0;
    state.fired = false;
  }
  state.connectedMs += durationMs;
  state.calls += 1;
  state.evidence.push(event.eventId, event.eventTime);
  if (state.fired || state.connectedMs <= config.threshold * MINUTE) return NO_FINDINGS;
  state.fired = true;
  return [
    incomeFinding(
      event,
      RULE,
      config,
      start,
      { connectedMinutes: minutes(state.connectedMs), connectedCalls: state.calls },
      { connectedMinutes: config.threshold },
      state.evidence.since(start),
    ),
  ];
}
