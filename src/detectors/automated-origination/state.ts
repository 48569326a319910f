import type { EvidenceRing } from '../../engine/evidence-ring';
import type { CountedRule } from './counted';
import type { HourlyActivity } from './diurnal';
import type { Cadence, SpacingWindow } from './regular-spacing';
import type { RateRun } from './sustained-rate';

/** Per account; its own module so the codec can name it without importing the detector. */
export interface AutomatedOriginationState {
  /** A message to several recipients arrives as one event per recipient with one messageId: one origination. */
  lastMessageId: string | undefined;
  rate: RateRun;
  activity: HourlyActivity | undefined;
  /** The latest originations, evidence for the rate and diurnal rules. */
  recent: EvidenceRing;
  calls: Cadence | undefined;
  messages: Cadence | undefined;
  spacing: SpacingWindow;
  api: CountedRule | undefined;
  shortCalls: CountedRule | undefined;
}
