import { EvidenceRing } from '../../engine/evidence-ring';
import { countEvent, newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import type { CallEvent, MessageEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { Detector, DetectorContext, Finding } from '../types';
import { contactFloodCodec } from './codec';
import { CONTACT_FLOOD_RULES, type ContactFloodRule } from './flood-rules';
import { FINDING_EVIDENCE, volumeFinding } from './volume-finding';

/**
 * EXCESSIVE_VOLUME aimed at one person: calls or messages from one account to
 * one number per hour. Keyed by account and number, so each pair holds two
 * small counters; allow-listed destinations (hotlines, the account's own
 * services) are never counted. Findings carry counts, never the number.
 */
interface FloodKind {
  counter: TumblingCounter;
  recent: EvidenceRing;
}

/** Kinds are created on first use: most pairs see only calls or only messages, and allow-listed pairs none. */
export interface ContactFloodState {
  calls?: FloodKind;
  messages?: FloodKind;
}

type Metric = 'calls' | 'messages';

function newKind(): FloodKind {
  return { counter: newCounter(), recent: new EvidenceRing(FINDING_EVIDENCE) };
}

function evaluate(kind: FloodKind, rule: ContactFloodRule, metric: Metric, event: CallEvent | MessageEvent, ctx: DetectorContext): Finding[] {
  const config = ctx.rule(rule);
  if (!config) return [];
  if (countEvent(kind.counter, event.eventTime, config.windowMs) === 'late') {
    ctx.late(rule);
    return [];
  }
  kind.recent.push(event.eventId, event.eventTime);
  if (kind.counter.fired || kind.counter.count <= config.threshold) return [];
  kind.counter.fired = true;
  const start = kind.counter.windowStart;
  return [
    volumeFinding({
      accountId: event.accountId,
      rule,
      config,
      windowStart: start,
      detectedAt: event.eventTime,
      metrics: { [metric]: kind.counter.count },
      thresholds: { [metric]: config.threshold },
      evidence: kind.recent.since(start),
    }),
  ];
}

export const contactFlood: Detector<ContactFloodState> = {
  name: 'excessive_volume_contact_flood',
  eventTypes: ['call', 'message'],
  defaults: CONTACT_FLOOD_RULES,
  // Account and number, separated by a character neither contains.
  keyOf: (event) => (event.type === 'call' || event.type === 'message' ? `${event.accountId}>${event.to}` : event.accountId),
  stateTtlMs: (policy) => longestWindowMs(policy, Object.keys(CONTACT_FLOOD_RULES)),
  createState: () => ({}),
  codec: contactFloodCodec,
  onEvent(state, event, ctx) {
    if (event.type !== 'call' && event.type !== 'message') return [];
    if (ctx.policy.allow.destinations.has(event.to)) return [];
    // A call is counted once, when dialled; its answer and end are the same call.
    if (event.type === 'call') {
      if (event.phase !== 'start') return [];
      state.calls ??= newKind();
      return evaluate(state.calls, 'calls_to_one_number', 'calls', event, ctx);
    }
    state.messages ??= newKind();
    return evaluate(state.messages, 'messages_to_one_number', 'messages', event, ctx);
  },
};
