import { windowStart } from '../../engine/window';
import type { MessageEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { pushTimed, timedSince } from '../../engine/compact-evidence';
import { bulkFinding } from './findings';
import { HashSet32 } from './hash-set32';
import { CONTACT_HISTORY_CAP, EVIDENCE_SIZE } from './rules';
import type { BulkMessagingState } from './state';
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
 * three fields of the state instead of an object of its own.
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
  state.contacted ??= new HashSet32(CONTACT_HISTORY_CAP, 'evict-oldest');
  if (!state.contacted.add(recipient)) return NO_FINDINGS;
  const start = windowStart(event.eventTime, config.windowMs);
  if (start < state.fanoutStart) {
    ctx.late(RULE);
    return NO_FINDINGS;
  }
  if (start > state.fanoutStart) {
    state.fanoutStart = start;
    state.fanoutCount = 0;
    state.fanoutFired = false;
  }
  state.fanoutCount += 1;
  state.fanoutEvidence = state.fanoutCount > config.threshold - EVIDENCE_SIZE ? pushTimed(state.fanoutEvidence, event.eventId, event.eventTime, EVIDENCE_SIZE) : undefined;
  if (state.fanoutFired || state.fanoutCount <= config.threshold) return NO_FINDINGS;
  state.fanoutFired = true;
  const count = state.fanoutCount;
  return [bulkFinding(event, RULE, config, state.fanoutStart, { newRecipients: count }, { newRecipients: config.threshold }, timedSince(state.fanoutEvidence, state.fanoutStart))];
}
