import type { CallEvent, MessageEvent } from '../../events/types';
import { windowStart } from '../../engine/window';
import { longestWindowMs } from '../../policy/resolve';
import type { Detector, DetectorContext, Finding } from '../types';
import { contactFloodCodec } from './codec';
import { CONTACT_FLOOD_RULES, type ContactFloodRule } from './flood-rules';
import { countContact, FLOOD_ROWS, floodWindowStart, keepEvidence, markSlotFired, slotFired, slotTally, startFloodWindow, takeEvidence } from './flood-slots';
import { RowTable } from '../../engine/row-table';
import type { Packed } from './packed';
import { FINDING_EVIDENCE, volumeFinding } from './volume-finding';
import { NO_FINDINGS } from '../finding';

/**
 * EXCESSIVE_VOLUME aimed at one person: calls or messages from one account to
 * one number per hour. Keyed by account: its state counts, per kind, the
 * numbers it contacted in the current window (flood-slots.ts), exactly while
 * they are at most FLOOD_SLOTS, under-estimated past that. The windows are
 * aligned to the epoch, so they are the ones a counter per account and number
 * would have. Allow-listed destinations (hotlines, the account's own
 * services) are never counted. Findings carry counts, never the number.
 *
 * Evidence: a finding carries the number's last FINDING_EVIDENCE events of
 * the window, as a per-number ring would. Only a number within
 * FINDING_EVIDENCE contacts of its limit can need them, so only its events
 * are kept: an ordinary account holds none.
 */
export type ContactFloodState = Packed;

type Metric = 'calls' | 'messages';
/** Per kind, in flood-slots.ts's order: 0 calls dialled, 1 messages. */
const RULES: readonly ContactFloodRule[] = ['calls_to_one_number', 'messages_to_one_number'];

function evaluate(state: ContactFloodState, kind: number, metric: Metric, event: CallEvent | MessageEvent, ctx: DetectorContext): readonly Finding[] {
  const rule = RULES[kind] ?? 'calls_to_one_number';
  const config = ctx.rule(rule);
  if (!config) return NO_FINDINGS;
  const start = windowStart(event.eventTime, config.windowMs);
  const current = floodWindowStart(state, kind);
  if (start < current) {
    ctx.late(rule);
    return NO_FINDINGS;
  }
  if (start > current) startFloodWindow(state, kind, start);
  const slot = countContact(state, kind, event.to);
  if (slot < 0 || slotFired(state, kind, slot)) return NO_FINDINGS;
  const count = slotTally(state, kind, slot);
  // The events a finding at count threshold + 1 carries; earlier ones never are.
  if (count > config.threshold + 1 - FINDING_EVIDENCE) keepEvidence(state, kind, slot, event.eventId, FINDING_EVIDENCE);
  if (count <= config.threshold) return NO_FINDINGS;
  markSlotFired(state, kind, slot);
  return [
    volumeFinding({
      accountId: event.accountId,
      rule,
      config,
      windowStart: start,
      detectedAt: event.eventTime,
      metrics: { [metric]: count },
      thresholds: { [metric]: config.threshold },
      evidence: takeEvidence(state, kind, slot),
    }),
  ];
}

export const contactFlood: Detector<ContactFloodState> = {
  name: 'excessive_volume_contact_flood',
  eventTypes: ['call', 'message'],
  defaults: CONTACT_FLOOD_RULES,
  keyOf: (event) => event.accountId,
  stateTtlMs: (policy) => longestWindowMs(policy, Object.keys(CONTACT_FLOOD_RULES)),
  createState: () => RowTable.single(FLOOD_ROWS),
  rows: FLOOD_ROWS,
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
