import { addDistinct, newDistinctCounter, type DistinctCounter } from '../../engine/distinct-counter';
import { EvidenceRing } from '../../engine/evidence-ring';
import { countEvent, newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import type { TelemetryEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { RuleConfig } from '../../policy/types';
import type { Detector, DetectorContext, Finding } from '../types';
import { impersonationCodec } from './codec';
import { DISTINCT_CAP, IMPERSONATION_EVIDENCE, IMPERSONATION_RULES } from './rules';

/**
 * IMPERSONATION: misrepresenting the source of a call.
 * - caller_id_rotation: distinct presented caller IDs that differ from the
 *   account's own number, per day. A business that always presents its one
 *   main number has one, and is not impersonating.
 * - unattested_calls: calls with STIR/SHAKEN attestation C (the carrier cannot
 *   vouch for the caller ID), per hour.
 * - impersonation_reports: distinct recipients reporting the account for
 *   impersonation, per day (one angry recipient reporting twice counts once).
 */
export interface ImpersonationState {
  presentedIds: DistinctCounter;
  unattested: TumblingCounter;
  reporters: DistinctCounter;
  /** Evidence per rule, so one rule's sample never lists another's events. */
  evidence: Record<Rule, EvidenceRing>;
}

type Rule = keyof typeof IMPERSONATION_RULES;

function finding(event: TelemetryEvent, rule: Rule, config: RuleConfig, start: number, metrics: Record<string, number>, metric: string, evidence: string[]): Finding {
  return {
    accountId: event.accountId,
    category: 'IMPERSONATION',
    rule,
    severity: config.severity,
    action: config.action,
    windowStart: start,
    windowEnd: start + config.windowMs,
    detectedAt: event.eventTime,
    metrics,
    thresholds: { [metric]: config.threshold },
    evidence,
  };
}

function distinctRule(state: ImpersonationState, counter: DistinctCounter, rule: Rule, metric: string, value: string, event: TelemetryEvent, ctx: DetectorContext): Finding[] {
  const config = ctx.rule(rule);
  if (!config) return [];
  if (addDistinct(counter, value, event.eventTime, config.windowMs, DISTINCT_CAP) === 'late') {
    ctx.late(rule);
    return [];
  }
  state.evidence[rule].push(event.eventId, event.eventTime);
  if (counter.fired || counter.values.length <= config.threshold) return [];
  counter.fired = true;
  return [finding(event, rule, config, counter.windowStart, { [metric]: counter.values.length }, metric, state.evidence[rule].since(counter.windowStart))];
}

export const impersonation: Detector<ImpersonationState> = {
  name: 'impersonation',
  eventTypes: ['call', 'report'],
  defaults: IMPERSONATION_RULES,
  keyOf: (event) => event.accountId,
  stateTtlMs: (policy) => longestWindowMs(policy, Object.keys(IMPERSONATION_RULES)),
  createState: () => ({
    presentedIds: newDistinctCounter(),
    unattested: newCounter(),
    reporters: newDistinctCounter(),
    evidence: {
      caller_id_rotation: new EvidenceRing(IMPERSONATION_EVIDENCE),
      unattested_calls: new EvidenceRing(IMPERSONATION_EVIDENCE),
      impersonation_reports: new EvidenceRing(IMPERSONATION_EVIDENCE),
    },
  }),
  codec: impersonationCodec,
  onEvent(state, event, ctx) {
    if (event.type === 'report') {
      return event.reason === 'impersonation' ? distinctRule(state, state.reporters, 'impersonation_reports', 'reporters', event.reporterNumber, event, ctx) : [];
    }
    if (event.type !== 'call' || event.phase !== 'start') return [];
    const findings: Finding[] = [];
    if (event.presentedCallerId !== undefined && event.presentedCallerId !== event.from) {
      findings.push(...distinctRule(state, state.presentedIds, 'caller_id_rotation', 'presentedCallerIds', event.presentedCallerId, event, ctx));
    }
    const config = ctx.rule('unattested_calls');
    if (event.attestation === 'C' && config) {
      if (countEvent(state.unattested, event.eventTime, config.windowMs) === 'late') ctx.late('unattested_calls');
      else {
        state.evidence.unattested_calls.push(event.eventId, event.eventTime);
        if (!state.unattested.fired && state.unattested.count > config.threshold) {
          state.unattested.fired = true;
          findings.push(finding(event, 'unattested_calls', config, state.unattested.windowStart, { calls: state.unattested.count }, 'calls', state.evidence.unattested_calls.since(state.unattested.windowStart)));
        }
      }
    }
    return findings;
  },
};
