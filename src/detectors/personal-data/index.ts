import { EvidenceRing } from '../../engine/evidence-ring';
import { countEvent, newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import { longestWindowMs } from '../../policy/resolve';
import type { Detector, Finding } from '../types';
import { countCardNumbers } from './card-numbers';
import { personalDataCodec } from './codec';
import { countCredentials } from './credentials';
import { countIdentityNumbers } from './identity-numbers';
import { PERSONAL_DATA_EVIDENCE, PERSONAL_DATA_RULES, type PersonalDataRule } from './rules';

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

export interface PersonalDataState {
  counters: TumblingCounter[];
  evidence: EvidenceRing[];
}

export const personalData: Detector<PersonalDataState> = {
  name: 'personal_data',
  eventTypes: ['message'],
  defaults: PERSONAL_DATA_RULES,
  keyOf: (event) => event.accountId,
  stateTtlMs: (policy) => longestWindowMs(policy, SCANS.map((s) => s.rule)),
  createState: () => ({ counters: SCANS.map(() => newCounter()), evidence: SCANS.map(() => new EvidenceRing(PERSONAL_DATA_EVIDENCE)) }),
  codec: personalDataCodec(SCANS.map((s) => s.rule)),
  onEvent(state, event, ctx) {
    if (event.type !== 'message' || event.text === undefined || event.text === '') return [];
    const findings: Finding[] = [];
    SCANS.forEach(({ rule, metric, count }, i) => {
      const config = ctx.rule(rule);
      const counter = state.counters[i];
      const evidence = state.evidence[i];
      if (!config || !counter || !evidence) return;
      const found = count(event.text ?? '');
      if (found === 0) return;
      if (countEvent(counter, event.eventTime, config.windowMs) === 'late') {
        ctx.late(rule);
        return;
      }
      evidence.push(event.eventId, event.eventTime);
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
        evidence: evidence.since(counter.windowStart),
      });
    });
    return findings;
  },
};
