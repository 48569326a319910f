/**
 * The event and violation contract (shared/CONTRACT.md). Field names are
 * fixed by the contract. Optional fields are absent, never null, once an
 * event has passed validation.
 */
export const EVENT_TYPES = ['call', 'message', 'registration', 'report'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ORIGIN_CHANNELS = ['voice', 'app', 'api'] as const;
export type OriginChannel = (typeof ORIGIN_CHANNELS)[number];

export const CALL_PHASES = ['start', 'answer', 'end'] as const;
export type CallPhase = (typeof CALL_PHASES)[number];

export const ATTESTATIONS = ['A', 'B', 'C'] as const;
export type Attestation = (typeof ATTESTATIONS)[number];

export const DISPOSITIONS = ['answered', 'no_answer', 'busy', 'rejected', 'failed', 'invalid_number'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const VERIFICATIONS = ['verified', 'failed', 'skipped'] as const;
export type Verification = (typeof VERIFICATIONS)[number];

export const REPORT_REASONS = ['spam', 'unwanted', 'fraud', 'harassment', 'impersonation'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

interface EventBase {
  eventId: string;
  /** Milliseconds since the Unix epoch. */
  eventTime: number;
  accountId: string;
}

export interface CallEvent extends EventBase {
  type: 'call';
  callId: string;
  phase: CallPhase;
  deviceId: string;
  from: string;
  to: string;
  presentedCallerId?: string;
  attestation?: Attestation;
  originChannel: OriginChannel;
  disposition?: Disposition;
  durationMs?: number;
}

export interface MessageEvent extends EventBase {
  type: 'message';
  messageId: string;
  deviceId: string;
  from: string;
  to: string;
  contentHash: string;
  contentLength: number;
  originChannel: OriginChannel;
  /** Present only where the platform forwards content; never copied into a violation or a log. */
  text?: string;
}

export interface RegistrationEvent extends EventBase {
  type: 'registration';
  phoneNumber: string;
  deviceId: string;
  ipAddress: string;
  verification: Verification;
}

export interface ReportEvent extends EventBase {
  type: 'report';
  reporterNumber: string;
  reason: ReportReason;
  relatedEventId?: string;
}

export type TelemetryEvent = CallEvent | MessageEvent | RegistrationEvent | ReportEvent;

export const CATEGORIES = [
  'EXCESSIVE_VOLUME',
  'EXCESSIVE_CONNECTION_TIME',
  'AUTOMATED_ORIGINATION',
  'BULK_MESSAGING',
  'NUMBER_HARVESTING',
  'INCOME_GENERATION',
  'IMPERSONATION',
  'FRAUDULENT_REGISTRATION',
  'PERSONAL_DATA_SHARING',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ACTIONS = ['warn', 'throttle', 'suspend', 'terminate'] as const;
export type Action = (typeof ACTIONS)[number];

export interface Violation {
  violationId: string;
  accountId: string;
  category: Category;
  rule: string;
  severity: Severity;
  action: Action;
  windowStart: number;
  windowEnd: number;
  detectedAt: number;
  metrics: Record<string, number>;
  thresholds: Record<string, number>;
  evidence: string[];
  policyVersion: string;
}
