import type { CallEvent, MessageEvent, TelemetryEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { Detector, DetectorContext, Finding } from '../types';
import { automatedOriginationCodec } from './codec';
import { checkCount, newCountedRule } from './counted';
import { activityFor, checkDiurnalRest } from './diurnal';
import { SAMPLE } from './evidence-log';
import { checkRegularSpacing, type OriginationKind } from './regular-spacing';
import { AUTOMATED_ORIGINATION_RULES, param, RULE_NAMES } from './rules';
import { createState, type AutomatedOriginationState } from './state';
import { checkSustainedRate } from './sustained-rate';
import { concatFindings, NO_FINDINGS } from '../finding';

/**
 * AUTOMATED_ORIGINATION: calls or messages originated by automated or robotic
 * means. An origination is a dialled call (`start`; its answer and end are the
 * same call) or a message. Signals, each a rule:
 * - sustained_origination_rate: a high rate held minute after minute;
 * - regular_interarrival: machine-regular spacing (low CV of inter-arrival times);
 * - no_diurnal_rest: activity in nearly every hour of a rolling day;
 * - short_answered_calls: answered calls hung up within seconds, at volume;
 * - api_originations_per_hour: programmatic (`api`) calls and messages at scale.
 * State per account is numbers and small exact-size arrays; each rule's part
 * is made when the rule first needs it (see state.ts), so an account that
 * sends a few messages a day pays for little more than their evidence.
 */
export type { AutomatedOriginationState } from './state';

const SHORT_CALL_DEFAULT = AUTOMATED_ORIGINATION_RULES.short_answered_calls.params.shortCallSeconds;

/** The cadence rules: rate, spacing and diurnal activity see each origination once. */
function originated(state: AutomatedOriginationState, kind: OriginationKind, event: TelemetryEvent, ctx: DetectorContext): readonly Finding[] {
  state.evidence.push(event.eventId, event.eventTime, SAMPLE.recent);
  let findings = checkSustainedRate(state, event, ctx);
  findings = concatFindings(findings, checkRegularSpacing(state, kind, event, ctx));
  const diurnal = ctx.rule('no_diurnal_rest');
  if (diurnal) {
    state.activity = activityFor(state.activity, diurnal.windowMs);
    findings = concatFindings(findings, checkDiurnalRest(state.activity, state.evidence, event, ctx));
  }
  return findings;
}

function apiUse(state: AutomatedOriginationState, event: CallEvent | MessageEvent, ctx: DetectorContext): readonly Finding[] {
  if (event.originChannel !== 'api' || !ctx.rule('api_originations_per_hour')) return NO_FINDINGS;
  state.api ??= newCountedRule();
  return checkCount(state.api, state.evidence, SAMPLE.api, 'api_originations_per_hour', 'apiOriginations', event, ctx);
}

function callEnded(state: AutomatedOriginationState, event: CallEvent, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule('short_answered_calls');
  if (!config || event.disposition !== 'answered' || event.durationMs === undefined) return NO_FINDINGS;
  const shortCallSeconds = param(config, 'shortCallSeconds', SHORT_CALL_DEFAULT);
  if (event.durationMs >= shortCallSeconds * 1000) return NO_FINDINGS;
  state.shortCalls ??= newCountedRule();
  return checkCount(state.shortCalls, state.evidence, SAMPLE.shortCalls, 'short_answered_calls', 'shortAnsweredCalls', event, ctx, { shortCallSeconds });
}

export const automatedOrigination: Detector<AutomatedOriginationState> = {
  name: 'automated_origination',
  eventTypes: ['call', 'message'],
  defaults: AUTOMATED_ORIGINATION_RULES,
  keyOf: (event) => event.accountId,
  stateTtlMs: (policy) => longestWindowMs(policy, RULE_NAMES),
  createState,
  codec: automatedOriginationCodec,
  onEvent(state, event, ctx) {
    if (event.type === 'call') {
      if (event.phase === 'end') return callEnded(state, event, ctx);
      if (event.phase !== 'start') return NO_FINDINGS;
      return concatFindings(originated(state, 'calls', event, ctx), apiUse(state, event, ctx));
    }
    if (event.type !== 'message') return NO_FINDINGS;
    // Every delivery counts towards API volume, as the platform bills it; a fan-out counts once for cadence.
    const fanOut = event.messageId === state.lastMessageId;
    state.lastMessageId = event.messageId;
    return concatFindings(fanOut ? NO_FINDINGS : originated(state, 'messages', event, ctx), apiUse(state, event, ctx));
  },
};
