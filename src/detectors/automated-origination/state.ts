import type { CountedRule } from './counted';
import type { HourlyActivity } from './diurnal';
import { EvidenceLog } from './evidence-log';
import { NO_SPACING, type Cadence, type SpacingWindow } from './regular-spacing';
import { NO_RUN, type RateRun } from './sustained-rate';

/**
 * Per account; its own module so the codec can name it without importing the
 * detector. Shaped for the many accounts that never come near a limit: the
 * parts of a rule are made when the rule first needs them (a kind's cadence
 * at its first origination, a busy-minute run at the first busy minute, the
 * API and short-call counts at the first such event), or start as shared
 * read-only values, and every rule's evidence is one log.
 */
export interface AutomatedOriginationState {
  /** A message to several recipients arrives as one event per recipient with one messageId: one origination. */
  lastMessageId: string | undefined;
  /** sustained_origination_rate: the current minute (minutes since the epoch) and its originations; see RateState. */
  minute: number;
  minuteCount: number;
  /** sustained_origination_rate: the run of busy minutes; NO_RUN until the first. */
  rate: RateRun;
  activity: HourlyActivity | undefined;
  /** The latest events each rule keeps as evidence (see SAMPLE), the cadence rules' only when a finding could be near. */
  evidence: EvidenceLog;
  calls: Cadence | undefined;
  messages: Cadence | undefined;
  /** regular_interarrival's runs in the current window; NO_SPACING until the first regular run. */
  spacing: SpacingWindow;
  api: CountedRule | undefined;
  shortCalls: CountedRule | undefined;
}

export function createState(): AutomatedOriginationState {
  return {
    lastMessageId: undefined,
    minute: 0,
    minuteCount: 0,
    rate: NO_RUN,
    activity: undefined,
    evidence: new EvidenceLog(),
    calls: undefined,
    messages: undefined,
    spacing: NO_SPACING,
    api: undefined,
    shortCalls: undefined,
  };
}
