import type { CallEvent, MessageEvent, TelemetryEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { RuleConfig } from '../../policy/types';
import type { Detector, DetectorContext, Finding } from '../types';
import { automatedOriginationCodec } from './codec';
import { checkCount } from './counted';
import { activeHoursSoFar, checkDiurnalRest, ensureActivity, hasActivity } from './diurnal';
import { clearEvidence, pushEvidence, SAMPLE } from './evidence-log';
import { checkRegularSpacing, type OriginationKind } from './regular-spacing';
import { AUTOMATED_ORIGINATION_RULES, EVIDENCE_SAMPLE, param, RULE_NAMES } from './rules';
import { insertTailString, setTailString, tailString } from '../../engine/row-tails';
import { API_COUNTER, AUTOMATED_ORIGINATION_ROWS, createState, HAS_MESSAGE_ID, intAt, setInt, SHORT_CALLS_COUNTER, type AutomatedOriginationState } from './state';
import { checkSustainedRate, runMinutesSoFar, SUSTAINED_RATE_RULE } from './sustained-rate';
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
 * State per account is a row of numbers and two short tails (see state.ts);
 * each rule's part is taken up when the rule first needs it, and evidence ids
 * are kept only near a limit, so an account that sends a few messages a day
 * pays for little more than its head.
 */
export type { AutomatedOriginationState } from './state';

const SHORT_CALL_DEFAULT = AUTOMATED_ORIGINATION_RULES.short_answered_calls.params.shortCallSeconds;

/**
 * Whether the `recent` sample must keep this origination: only when a rule it is evidence for could report it.
 * A finding's evidence is the sample's last EVIDENCE_SAMPLE originations (those of its span), and each
 * origination moves a run by at most one busy minute, and the active hours by at most one: so all of them saw
 * the run at threshold - (EVIDENCE_SAMPLE - 1) busy minutes or more before being counted, or that many active
 * hours (both counts are never below the true ones: see runMinutesSoFar, activeHoursSoFar). One more, for
 * margin. Any other origination is evidence for no finding to come, nor is anything before it.
 */
function nearRecentLimit(state: AutomatedOriginationState, rate: Readonly<RuleConfig> | undefined, diurnal: Readonly<RuleConfig> | undefined): boolean {
  if (rate && runMinutesSoFar(state) >= rate.threshold - EVIDENCE_SAMPLE) return true;
  return diurnal !== undefined && hasActivity(state) && activeHoursSoFar(state, diurnal) >= diurnal.threshold - EVIDENCE_SAMPLE;
}

/** The cadence rules: rate, spacing and diurnal activity see each origination once. */
function originated(state: AutomatedOriginationState, kind: OriginationKind, event: TelemetryEvent, ctx: DetectorContext): readonly Finding[] {
  const diurnal = ctx.rule('no_diurnal_rest');
  const rate = ctx.rule(SUSTAINED_RATE_RULE);
  if (diurnal) ensureActivity(state, diurnal.windowMs);
  // Far from both limits, the sample is emptied too, so an ordinary account keeps no ids.
  if (nearRecentLimit(state, rate, diurnal)) pushEvidence(state, event.eventId, event.eventTime, SAMPLE.recent);
  else clearEvidence(state, SAMPLE.recent);
  let findings = checkSustainedRate(state, event, ctx, rate);
  findings = concatFindings(findings, checkRegularSpacing(state, kind, event, ctx));
  if (diurnal && hasActivity(state)) findings = concatFindings(findings, checkDiurnalRest(state, event, ctx));
  return findings;
}

function apiUse(state: AutomatedOriginationState, event: CallEvent | MessageEvent, ctx: DetectorContext): readonly Finding[] {
  if (event.originChannel !== 'api' || !ctx.rule('api_originations_per_hour')) return NO_FINDINGS;
  return checkCount(state, API_COUNTER, SAMPLE.api, 'api_originations_per_hour', 'apiOriginations', event, ctx);
}

function callEnded(state: AutomatedOriginationState, event: CallEvent, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule('short_answered_calls');
  if (!config || event.disposition !== 'answered' || event.durationMs === undefined) return NO_FINDINGS;
  const shortCallSeconds = param(config, 'shortCallSeconds', SHORT_CALL_DEFAULT);
  if (event.durationMs >= shortCallSeconds * 1000) return NO_FINDINGS;
  return checkCount(state, SHORT_CALLS_COUNTER, SAMPLE.shortCalls, 'short_answered_calls', 'shortAnsweredCalls', event, ctx, { shortCallSeconds });
}

/** Whether `messageId` is the last message's (its id is `s[0]` once there is one). */
const sameMessage = (state: AutomatedOriginationState, messageId: string): boolean => intAt(state, HAS_MESSAGE_ID) !== 0 && tailString(state, 0, '') === messageId;

function rememberMessage(state: AutomatedOriginationState, messageId: string): void {
  if (intAt(state, HAS_MESSAGE_ID) !== 0) {
    // The tail holds the id: the row's own array, written in place.
    setTailString(state, 0, messageId);
    return;
  }
  insertTailString(state, 0, messageId);
  setInt(state, HAS_MESSAGE_ID, 1);
}

export const automatedOrigination: Detector<AutomatedOriginationState> = {
  name: 'automated_origination',
  eventTypes: ['call', 'message'],
  defaults: AUTOMATED_ORIGINATION_RULES,
  keyOf: (event) => event.accountId,
  stateTtlMs: (policy) => longestWindowMs(policy, RULE_NAMES),
  createState,
  rows: AUTOMATED_ORIGINATION_ROWS,
  codec: automatedOriginationCodec,
  onEvent(state, event, ctx) {
    if (event.type === 'call') {
      if (event.phase === 'end') return callEnded(state, event, ctx);
      if (event.phase !== 'start') return NO_FINDINGS;
      return concatFindings(originated(state, 'calls', event, ctx), apiUse(state, event, ctx));
    }
    if (event.type !== 'message') return NO_FINDINGS;
    // Every delivery counts towards API volume, as the platform bills it; a fan-out counts once for cadence.
    const fanOut = sameMessage(state, event.messageId);
    rememberMessage(state, event.messageId);
    return concatFindings(fanOut ? NO_FINDINGS : originated(state, 'messages', event, ctx), apiUse(state, event, ctx));
  },
};
