import { windowStart } from '../../engine/window';
import type { MessageEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { pushTimedSample, spliceNumbers, spliceStrings, timedSampleSince } from '../../engine/row-tails';
import { addContact } from './contact-history';
import { bulkFinding } from './findings';
import { EVIDENCE_SIZE } from './rules';
import { FANOUT_COUNT, FANOUT_EVIDENCE, FANOUT_FIRED, FANOUT_START, fanoutTimesAt, headAt, intAt, setHead, setInt, type BulkMessagingState } from './state';
import { NO_FINDINGS } from '../finding';

/**
 * new_recipient_fanout: recipients the account has never messaged before,
 * per window. "Never before" is approximate: the history holds the last
 * CONTACT_HISTORY_CAP distinct numbers as 32-bit hashes, and lives as long as
 * the account's state (the longest window after its last event). So a number
 * that fell out of the history, or was messaged before a long silence, counts
 * as new again (more new recipients: why the threshold sits well above what a
 * person or a small business reaches even from an empty history), and a hash
 * collision makes a new number look known (fewer: negligible).
 *
 * The counter is a tumbling counter (engine/tumbling-counter.ts) kept as
 * head numbers of the account's row (state.ts), its evidence as a sample in
 * the row's tails (ids in `s`, times in `n`).
 *
 * Evidence ids are kept only while the count is within EVIDENCE_SIZE of the
 * threshold or past it (as the volume detectors' count-kind.ts), and dropped
 * once it is not: the last EVIDENCE_SIZE new recipients before the rule
 * fires are all counted that near, so a finding carries the ids a sample kept
 * always would give, while an ordinary account keeps none (an id, its time
 * boxed, and an array: about 100 bytes). After a hot reload that lowers the
 * threshold, a finding may carry fewer ids.
 */
const RULE = 'new_recipient_fanout';

export function fanoutFindings(state: BulkMessagingState, event: MessageEvent, recipient: number, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return NO_FINDINGS;
  if (!addContact(state, recipient)) return NO_FINDINGS;
  const start = windowStart(event.eventTime, config.windowMs);
  const current = headAt(state, FANOUT_START);
  if (start < current) {
    ctx.late(RULE);
    return NO_FINDINGS;
  }
  if (start > current) {
    setHead(state, FANOUT_START, start);
    setInt(state, FANOUT_COUNT, 0);
    setInt(state, FANOUT_FIRED, 0);
  }
  const count = intAt(state, FANOUT_COUNT) + 1;
  setInt(state, FANOUT_COUNT, count);
  if (count > config.threshold - EVIDENCE_SIZE) {
    setInt(state, FANOUT_EVIDENCE, pushTimedSample(state, 0, fanoutTimesAt(state), intAt(state, FANOUT_EVIDENCE), EVIDENCE_SIZE, event.eventId, event.eventTime));
  } else {
    dropEvidence(state);
  }
  if (intAt(state, FANOUT_FIRED) !== 0 || count <= config.threshold) return NO_FINDINGS;
  setInt(state, FANOUT_FIRED, 1);
  const windowFrom = headAt(state, FANOUT_START);
  const evidence = timedSampleSince(state, 0, fanoutTimesAt(state), intAt(state, FANOUT_EVIDENCE), windowFrom);
  return [bulkFinding(event, RULE, config, windowFrom, { newRecipients: count }, { newRecipients: config.threshold }, evidence)];
}

/** Forgets the evidence (the count is not near the threshold). */
function dropEvidence(state: BulkMessagingState): void {
  const count = intAt(state, FANOUT_EVIDENCE);
  if (count === 0) return;
  spliceStrings(state, 0, count, []);
  spliceNumbers(state, fanoutTimesAt(state), count, []);
  setInt(state, FANOUT_EVIDENCE, 0);
}
