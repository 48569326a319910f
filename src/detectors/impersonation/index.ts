import { addDistinct } from '../../engine/distinct-counter';
import { countEvent } from '../../engine/tumbling-counter';
import type { TelemetryEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { RuleConfig } from '../../policy/types';
import type { Detector, DetectorContext, Finding } from '../types';
import { impersonationCodec } from './codec';
import { DISTINCT_CAP, IMPERSONATION_RULES } from './rules';
import { newCountRule, newDistinctRule, rulesOf, type ImpersonationState } from './state';
import { NO_FINDINGS } from '../finding';

export type { CountRuleState, DistinctRuleState, ImpersonationRules, ImpersonationState } from './state';

/**
 * IMPERSONATION: misrepresenting the source of a call.
 * - caller_id_rotation: distinct presented caller IDs that differ from the
 *   account's own number, per day. A business that always presents its one
 *   main number has one, and is not impersonating.
 * - unattested_calls: calls with STIR/SHAKEN attestation C (the carrier cannot
 *   vouch for the caller ID), per hour.
 * - impersonation_reports: distinct recipients reporting the account for
 *   impersonation, per day (one angry recipient reporting twice counts once).
 * State (state.ts) is created rule by rule on first need.
 */
type Rule = keyof typeof IMPERSONATION_RULES;

/** The rules counting distinct values, with the state each keeps. */
type DistinctRule = 'caller_id_rotation' | 'impersonation_reports';
const DISTINCT_SLOT = { caller_id_rotation: 'presentedIds', impersonation_reports: 'reporters' } as const satisfies Record<DistinctRule, string>;

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

function distinctRule(state: ImpersonationState, rule: DistinctRule, metric: string, value: string, event: TelemetryEvent, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(rule);
  if (!config) return NO_FINDINGS;
  const rules = rulesOf(state);
  const slot = DISTINCT_SLOT[rule];
  const counter = (rules[slot] ??= newDistinctRule());
  if (addDistinct(counter, value, event.eventTime, config.windowMs, DISTINCT_CAP) === 'late') {
    ctx.late(rule);
    return NO_FINDINGS;
  }
  counter.evidence.push(event.eventId, event.eventTime);
  if (counter.fired || counter.values.length <= config.threshold) return NO_FINDINGS;
  counter.fired = true;
  return [finding(event, rule, config, counter.windowStart, { [metric]: counter.values.length }, metric, counter.evidence.since(counter.windowStart))];
}

export const impersonation: Detector<ImpersonationState> = {
  name: 'impersonation',
  eventTypes: ['call', 'report'],
  defaults: IMPERSONATION_RULES,
  keyOf: (event) => event.accountId,
  stateTtlMs: (policy) => longestWindowMs(policy, Object.keys(IMPERSONATION_RULES)),
  createState: () => ({ rules: undefined }),
  codec: impersonationCodec,
  // What onEvent below acts on, and nothing else: most calls are attested and present their own number.
  needsState: (event) =>
    event.type === 'report'
      ? event.reason === 'impersonation'
      : event.type === 'call' && event.phase === 'start' && ((event.presentedCallerId !== undefined && event.presentedCallerId !== event.from) || event.attestation === 'C'),
  onEvent(state, event, ctx) {
    if (event.type === 'report') {
      return event.reason === 'impersonation' ? distinctRule(state, 'impersonation_reports', 'reporters', event.reporterNumber, event, ctx) : [];
    }
    if (event.type !== 'call' || event.phase !== 'start') return NO_FINDINGS;
    const findings: Finding[] = [];
    if (event.presentedCallerId !== undefined && event.presentedCallerId !== event.from) {
      findings.push(...distinctRule(state, 'caller_id_rotation', 'presentedCallerIds', event.presentedCallerId, event, ctx));
    }
    const config = ctx.rule('unattested_calls');
    if (event.attestation === 'C' && config) {
      const rules = rulesOf(state);
      const unattested = (rules.unattested ??= newCountRule());
      if (countEvent(unattested, event.eventTime, config.windowMs) === 'late') ctx.late('unattested_calls');
      else {
        unattested.evidence.push(event.eventId, event.eventTime);
        if (!unattested.fired && unattested.count > config.threshold) {
          unattested.fired = true;
          findings.push(finding(event, 'unattested_calls', config, unattested.windowStart, { calls: unattested.count }, 'calls', unattested.evidence.since(unattested.windowStart)));
        }
      }
    }
    return findings;
  },
};
