import type { CallEvent, MessageEvent } from '../../events/types';
import { longestWindowMs } from '../../policy/resolve';
import type { Detector, DetectorContext, Finding } from '../types';
import { contactFloodCodec } from './codec';
import { CONTACT_FLOOD_RULES } from './flood-rules';
import { FLOOD_LAYOUT } from './layout';
import { countAt, counterCount, counterFired, counterWindowStart, emptyPacked, markFired, ringPush, ringSince, type Packed } from './packed';
import { volumeFinding } from './volume-finding';
import { NO_FINDINGS } from '../finding';

/**
 * EXCESSIVE_VOLUME aimed at one person: calls or messages from one account to
 * one number per hour. Keyed by account and number, so each pair holds two
 * small counters; allow-listed destinations (hotlines, the account's own
 * services) are never counted. Findings carry counts, never the number.
 *
 * The state, per pair, is packed as FLOOD_LAYOUT says (layout.ts). It stays
 * empty until the pair's first counted call or message: allow-listed pairs
 * never hold more than the empty wrapper.
 */
export type ContactFloodState = Packed;

type Metric = 'calls' | 'messages';
const L = FLOOD_LAYOUT;

/** `kind` is 0 for calls, 1 for messages (FLOOD_LAYOUT's order); each kind has one rule. */
function evaluate(state: ContactFloodState, kind: number, metric: Metric, event: CallEvent | MessageEvent, ctx: DetectorContext): readonly Finding[] {
  const rule = L.kinds[kind]?.[0] ?? '';
  const config = ctx.rule(rule);
  if (!config) return NO_FINDINGS;
  L.ensureHead(state);
  const c = L.counterAt(kind, 0);
  if (countAt(state.n, c, event.eventTime, config.windowMs) === 'late') {
    ctx.late(rule);
    return NO_FINDINGS;
  }
  ringPush(state, L.ring, kind, event.eventId, event.eventTime);
  const count = counterCount(state.n, c);
  if (counterFired(state.n, c) || count <= config.threshold) return NO_FINDINGS;
  markFired(state.n, c);
  const start = counterWindowStart(state.n, c);
  return [
    volumeFinding({
      accountId: event.accountId,
      rule,
      config,
      windowStart: start,
      detectedAt: event.eventTime,
      metrics: { [metric]: count },
      thresholds: { [metric]: config.threshold },
      evidence: ringSince(state, L.ring, kind, start),
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
  createState: emptyPacked,
  codec: contactFloodCodec,
  onEvent(state, event, ctx) {
    if (event.type !== 'call' && event.type !== 'message') return NO_FINDINGS;
    if (ctx.policy.allow.destinations.has(event.to)) return NO_FINDINGS;
    // A call is counted once, when dialled; its answer and end are the same call.
    if (event.type === 'call') {
      if (event.phase !== 'start') return NO_FINDINGS;
      return evaluate(state, 0, 'calls', event, ctx);
    }
    return evaluate(state, 1, 'messages', event, ctx);
  },
};
