import { countEvent } from '../../engine/tumbling-counter';
import { longestWindowMs } from '../../policy/resolve';
import type { TelemetryEvent } from '../../events/types';
import type { Detector, Finding } from '../types';
import { countCardNumbers } from './card-numbers';
import { personalDataCodec } from './codec';
import { countCredentials } from './credentials';
import { countIdentityNumbers } from './identity-numbers';
import { PERSONAL_DATA_RULES, type PersonalDataRule } from './rules';
import { newRuleState, NO_RULES, type PersonalDataRuleState, type PersonalDataState } from './state';
import { NO_FINDINGS } from '../finding';

/**
 * PERSONAL_DATA_SHARING: messages whose text (where the platform forwards it)
 * carries card numbers, national identity numbers or credentials. The text is
 * scanned in place and never copied: a violation carries counts and event ids.
 */
const SCANS: readonly { rule: PersonalDataRule; metric: string; count: (text: string) => number }[] = [
  { rule: 'card_number_shared', metric: 'cardNumbers', count: countCardNumbers },
  { rule: 'national_id_shared', metric: 'identityNumbers', count: countIdentityNumbers },
  { rule: 'credential_shared', metric: 'credentials', count: countCredentials },
];

export type { PersonalDataRuleState, PersonalDataState } from './state';

function ruleState(state: PersonalDataState, i: number): PersonalDataRuleState {
  const known = state.counters[i];
  if (known) return known;
  const created = newRuleState();
  // Array.from gives an array of exactly SCANS.length, dense (undefined, not holes), as decode builds it.
  state.counters = Array.from(SCANS, (_, j) => (j === i ? created : state.counters[j]));
  return created;
}

/**
 * The scans' counts for the last event asked about. needsState scans a
 * message to know whether it carries anything at all; onEvent, which the
 * engine calls next with the same event, reuses the counts instead of
 * scanning again. One event is kept, never more: a cache, not state.
 */
let scannedEvent: TelemetryEvent | undefined;
const scannedCounts = new Array<number>(SCANS.length).fill(0);

function countsFor(event: TelemetryEvent, text: string): readonly number[] {
  if (scannedEvent !== event) {
    for (let i = 0; i < SCANS.length; i++) scannedCounts[i] = SCANS[i]?.count(text) ?? 0;
    scannedEvent = event;
  }
  return scannedCounts;
}

const textOf = (event: TelemetryEvent): string | undefined => (event.type === 'message' && event.text !== undefined && event.text !== '' ? event.text : undefined);

export const personalData: Detector<PersonalDataState> = {
  name: 'personal_data',
  eventTypes: ['message'],
  defaults: PERSONAL_DATA_RULES,
  keyOf: (event) => event.accountId,
  stateTtlMs: (policy) => longestWindowMs(policy, SCANS.map((s) => s.rule)),
  createState: () => ({ counters: NO_RULES }),
  codec: personalDataCodec(SCANS.map((s) => s.rule)),
  // Most messages carry nothing it counts: no state for them.
  needsState(event) {
    const text = textOf(event);
    return text !== undefined && countsFor(event, text).some((found) => found > 0);
  },
  onEvent(state, event, ctx) {
    const text = textOf(event);
    if (text === undefined) return NO_FINDINGS;
    const counts = countsFor(event, text);
    const findings: Finding[] = [];
    SCANS.forEach(({ rule, metric }, i) => {
      const config = ctx.rule(rule);
      if (!config) return;
      const found = counts[i] ?? 0;
      if (found === 0) return;
      const counter = ruleState(state, i);
      if (countEvent(counter, event.eventTime, config.windowMs) === 'late') {
        ctx.late(rule);
        return;
      }
      counter.evidence.push(event.eventId, event.eventTime);
      if (counter.fired || counter.count <= config.threshold) return;
      counter.fired = true;
      findings.push({
        accountId: event.accountId,
        category: 'PERSONAL_DATA_SHARING',
        rule,
        severity: config.severity,
        action: config.action,
        windowStart: counter.windowStart,
        windowEnd: counter.windowStart + config.windowMs,
        detectedAt: event.eventTime,
        metrics: { messages: counter.count, [metric]: found },
        thresholds: { messages: config.threshold },
        evidence: counter.evidence.since(counter.windowStart),
      });
    });
    return findings;
  },
};
