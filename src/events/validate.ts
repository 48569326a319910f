import { isIP } from 'node:net';
import { BadRecordError } from '../errors';
import {
  ATTESTATIONS,
  CALL_PHASES,
  DISPOSITIONS,
  EVENT_TYPES,
  ORIGIN_CHANNELS,
  REPORT_REASONS,
  VERIFICATIONS,
  type CallEvent,
  type EventType,
  type MessageEvent,
  type RegistrationEvent,
  type ReportEvent,
  type TelemetryEvent,
} from './types';

/**
 * Turns a plain value (parsed NDJSON, or a decoded Avro record) into a typed
 * event, or throws a BadRecordError naming the field and what was expected.
 * Errors never quote the offending value: it may be a phone number or text.
 */

const E164 = /^\+[1-9]\d{1,14}$/;
const MAX_ID_LENGTH = 256;
// Events before 2000 or after 2200 are impossible telemetry, not a time zone slip.
const MIN_EVENT_TIME = Date.UTC(2000, 0, 1);
const MAX_EVENT_TIME = Date.UTC(2200, 0, 1);

type Fields = Record<string, unknown>;

function invalid(field: string, expected: string): BadRecordError {
  return new BadRecordError('EVENT_INVALID', `field "${field}": expected ${expected}`);
}

function present(o: Fields, field: string): unknown {
  const v = o[field];
  if (v === undefined || v === null) throw new BadRecordError('EVENT_INVALID', `field "${field}" is missing`);
  return v;
}

function optional(o: Fields, field: string): unknown {
  const v = o[field];
  return v === null ? undefined : v;
}

function id(o: Fields, field: string): string {
  const v = present(o, field);
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_ID_LENGTH) {
    throw invalid(field, `a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  }
  return v;
}

function phone(v: unknown, field: string): string {
  if (typeof v !== 'string' || !E164.test(v)) throw invalid(field, 'an E.164 phone number such as +14155550123');
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw invalid(field, `one of ${allowed.join(', ')}`);
  return v as T;
}

function nonNegativeInt(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw invalid(field, 'a whole number of 0 or more');
  return v;
}

function eventTime(o: Fields): number {
  const v = present(o, 'eventTime');
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalid('eventTime', 'milliseconds since the Unix epoch');
  if (v < MIN_EVENT_TIME || v >= MAX_EVENT_TIME) throw invalid('eventTime', 'a time between 2000 and 2200 in milliseconds since the Unix epoch');
  return v;
}

function call(o: Fields, base: Base): CallEvent {
  const phase = oneOf(present(o, 'phase'), 'phase', CALL_PHASES);
  const event: CallEvent = {
    type: 'call',
    ...base,
    callId: id(o, 'callId'),
    phase,
    deviceId: id(o, 'deviceId'),
    from: phone(present(o, 'from'), 'from'),
    to: phone(present(o, 'to'), 'to'),
    originChannel: oneOf(present(o, 'originChannel'), 'originChannel', ORIGIN_CHANNELS),
  };
  const presented = optional(o, 'presentedCallerId');
  if (presented !== undefined) event.presentedCallerId = phone(presented, 'presentedCallerId');
  const attestation = optional(o, 'attestation');
  if (attestation !== undefined) event.attestation = oneOf(attestation, 'attestation', ATTESTATIONS);
  const disposition = optional(o, 'disposition');
  if (disposition !== undefined) {
    // A disposition says how a call ended; on any other phase it is impossible.
    if (phase !== 'end') throw invalid('disposition', 'no value unless phase is "end"');
    event.disposition = oneOf(disposition, 'disposition', DISPOSITIONS);
  }
  const duration = optional(o, 'durationMs');
  if (duration !== undefined) event.durationMs = nonNegativeInt(duration, 'durationMs');
  return event;
}

function message(o: Fields, base: Base): MessageEvent {
  const event: MessageEvent = {
    type: 'message',
    ...base,
    messageId: id(o, 'messageId'),
    deviceId: id(o, 'deviceId'),
    from: phone(present(o, 'from'), 'from'),
    to: phone(present(o, 'to'), 'to'),
    contentHash: id(o, 'contentHash'),
    contentLength: nonNegativeInt(present(o, 'contentLength'), 'contentLength'),
    originChannel: oneOf(present(o, 'originChannel'), 'originChannel', ORIGIN_CHANNELS),
  };
  const text = optional(o, 'text');
  if (text !== undefined) {
    if (typeof text !== 'string') throw invalid('text', 'a string');
    event.text = text;
  }
  return event;
}

function registration(o: Fields, base: Base): RegistrationEvent {
  const ip = present(o, 'ipAddress');
  if (typeof ip !== 'string' || isIP(ip) === 0) throw invalid('ipAddress', 'an IPv4 or IPv6 address');
  return {
    type: 'registration',
    ...base,
    phoneNumber: phone(present(o, 'phoneNumber'), 'phoneNumber'),
    deviceId: id(o, 'deviceId'),
    ipAddress: ip,
    verification: oneOf(present(o, 'verification'), 'verification', VERIFICATIONS),
  };
}

function report(o: Fields, base: Base): ReportEvent {
  const event: ReportEvent = {
    type: 'report',
    ...base,
    reporterNumber: phone(present(o, 'reporterNumber'), 'reporterNumber'),
    reason: oneOf(present(o, 'reason'), 'reason', REPORT_REASONS),
  };
  const related = optional(o, 'relatedEventId');
  if (related !== undefined) event.relatedEventId = id(o, 'relatedEventId');
  return event;
}

interface Base {
  eventId: string;
  eventTime: number;
  accountId: string;
}

const BUILDERS: { [T in EventType]: (o: Fields, base: Base) => Extract<TelemetryEvent, { type: T }> } = {
  call,
  message,
  registration,
  report,
};

/**
 * @param expectedType when the record came from a topic that carries one
 *   event type, a record of another type is rejected.
 */
export function validateEvent(value: unknown, expectedType?: EventType): TelemetryEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRecordError('EVENT_INVALID', 'expected a JSON object with the fields of a contract event');
  }
  const o = value as Fields;
  const type = oneOf(present(o, 'type'), 'type', EVENT_TYPES);
  if (expectedType !== undefined && type !== expectedType) {
    throw invalid('type', `"${expectedType}" on this topic`);
  }
  const base: Base = { eventId: id(o, 'eventId'), eventTime: eventTime(o), accountId: id(o, 'accountId') };
  return BUILDERS[type](o, base);
}
