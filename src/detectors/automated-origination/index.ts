import { EvidenceRing } from '../../engine/evidence-ring';
import type { CallEvent, MessageEvent, TelemetryEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { Detector, DetectorContext, Finding } from '../types';
import { automatedOriginationCodec } from './codec';
import { checkCount, newCountedRule } from './counted';
import { activityFor, checkDiurnalRest } from './diurnal';
import { checkRegularSpacing, newCadence, newSpacingWindow, type Cadence } from './regular-spacing';
import { AUTOMATED_ORIGINATION_RULES, EVIDENCE_SAMPLE, param, RULE_NAMES } from './rules';
import type { AutomatedOriginationState } from './state';
import { checkSustainedRate, newRateRun } from './sustained-rate';

/**
 * AUTOMATED_ORIGINATION: calls or messages originated by automated or robotic
 * means. An origination is a dialled call (`start`; its answer and end are the
 * same call) or a message. Signals, each a rule:
 * - sustained_origination_rate: a high rate held minute after minute;
 * - regular_interarrival: machine-regular spacing (low CV of inter-arrival times);
 * - no_diurnal_rest: activity in nearly every hour of a rolling day;
 * - short_answered_calls: answered calls hung up within seconds, at volume;
 * - api_originations_per_hour: programmatic (`api`) calls and messages at scale.
 * State per account is numbers, typed arrays and fixed rings; the parts for
 * calls, messages, API use and short calls are made on first use, so an
 * account that only texts pays for no call state.
 */
export type { AutomatedOriginationState } from './state';

const SHORT_CALL_DEFAULT = AUTOMATED_ORIGINATION_RULES.short_answered_calls.params.shortCallSeconds;

/** The cadence rules: rate, spacing and diurnal activity see each origination once. */
function originated(state: AutomatedOriginationState, cadence: Cadence, event: TelemetryEvent, ctx: DetectorContext): Finding[] {
  state.recent.push(event.eventId, event.eventTime);
  const findings = checkSustainedRate(state.rate, state.recent, event, ctx);
  findings.push(...checkRegularSpacing(cadence, state.spacing, event, ctx));
  const diurnal = ctx.rule('no_diurnal_rest');
  if (diurnal) {
    state.activity = activityFor(state.activity, diurnal.windowMs);
    findings.push(...checkDiurnalRest(state.activity, state.recent, event, ctx));
  }
  return findings;
}

function apiUse(state: AutomatedOriginationState, event: CallEvent | MessageEvent, ctx: DetectorContext): Finding[] {
  if (event.originChannel !== 'api' || !ctx.rule('api_originations_per_hour')) return [];
  state.api ??= newCountedRule();
  return checkCount(state.api, 'api_originations_per_hour', 'apiOriginations', event, ctx);
}

function callEnded(state: AutomatedOriginationState, event: CallEvent, ctx: DetectorContext): Finding[] {
  const config = ctx.rule('short_answered_calls');
  if (!config || event.disposition !== 'answered' || event.durationMs === undefined) return [];
  const shortCallSeconds = param(config, 'shortCallSeconds', SHORT_CALL_DEFAULT);
  if (event.durationMs >= shortCallSeconds * 1000) return [];
  state.shortCalls ??= newCountedRule();
  return checkCount(state.shortCalls, 'short_answered_calls', 'shortAnsweredCalls', event, ctx, { shortCallSeconds });
}

export const automatedOrigination: Detector<AutomatedOriginationState> = {
  name: 'automated_origination',
  eventTypes: ['call', 'message'],
  defaults: AUTOMATED_ORIGINATION_RULES,
  keyOf: (event) => event.accountId,
  stateTtlMs: (policy) => longestWindowMs(policy, RULE_NAMES),
  createState: () => ({
    lastMessageId: undefined,
    rate: newRateRun(),
    activity: undefined,
    recent: new EvidenceRing(EVIDENCE_SAMPLE),
    calls: undefined,
    messages: undefined,
    spacing: newSpacingWindow(),
    api: undefined,
    shortCalls: undefined,
  }),
  codec: automatedOriginationCodec,
  onEvent(state, event, ctx) {
    if (event.type === 'call') {
      if (event.phase === 'end') return callEnded(state, event, ctx);
      if (event.phase !== 'start') return [];
      state.calls ??= newCadence();
      return [...originated(state, state.calls, event, ctx), ...apiUse(state, event, ctx)];
    }
    if (event.type !== 'message') return [];
    // Every delivery counts towards API volume, as the platform bills it; a fan-out counts once for cadence.
    const fanOut = event.messageId === state.lastMessageId;
    state.lastMessageId = event.messageId;
    state.messages ??= newCadence();
    return [...(fanOut ? [] : originated(state, state.messages, event, ctx)), ...apiUse(state, event, ctx)];
  },
};
