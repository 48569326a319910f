import type { EventType } from '../events/types';

/** Contract topic names (shared/CONTRACT.md); each can be renamed by configuration. */
export const DEFAULT_TOPICS = {
  call: 'comms.call-events',
  message: 'comms.message-events',
  registration: 'comms.registration-events',
  report: 'comms.report-events',
  violations: 'abuse.violations',
  deadLetter: 'abuse.telemetry-dlq',
} as const;

export interface Topics {
  /** Input topic of each event type. */
  input: Record<EventType, string>;
  violations: string;
  deadLetter: string;
  /** The detector's own compacted state changelog (not part of the contract): partition p holds input partition p's state. */
  changelog: string;
}
