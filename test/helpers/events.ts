import type { CallEvent, MessageEvent, RegistrationEvent, ReportEvent } from '../../src/events/types';

/** Builders for contract events; each call gets a fresh eventId. */
let seq = 0;
const nextId = (prefix: string): string => `${prefix}-${++seq}`;

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export function callEvent(accountId: string, eventTime: number, overrides: Partial<CallEvent> = {}): CallEvent {
  return {
    type: 'call',
    eventId: nextId('c'),
    eventTime,
    accountId,
    callId: nextId('call'),
    phase: 'start',
    deviceId: `dev-${accountId}`,
    from: '+14155550100',
    to: '+12125550199',
    originChannel: 'app',
    ...overrides,
  };
}

export function messageEvent(accountId: string, eventTime: number, overrides: Partial<MessageEvent> = {}): MessageEvent {
  return {
    type: 'message',
    eventId: nextId('m'),
    eventTime,
    accountId,
    messageId: nextId('msg'),
    deviceId: `dev-${accountId}`,
    from: '+14155550100',
    to: '+12125550199',
    contentHash: 'h1',
    contentLength: 42,
    originChannel: 'app',
    ...overrides,
  };
}

export function registrationEvent(accountId: string, eventTime: number, overrides: Partial<RegistrationEvent> = {}): RegistrationEvent {
  return { type: 'registration', eventId: nextId('r'), eventTime, accountId, phoneNumber: '+14155550100', deviceId: `dev-${accountId}`, ipAddress: '203.0.113.7', verification: 'verified', ...overrides };
}

export function reportEvent(accountId: string, eventTime: number, overrides: Partial<ReportEvent> = {}): ReportEvent {
  return { type: 'report', eventId: nextId('p'), eventTime, accountId, reporterNumber: '+12125550199', reason: 'spam', ...overrides };
}

/** `count` messages spread evenly over `spanMs` from `start`. */
export function messageBurst(accountId: string, count: number, start: number, spanMs: number): MessageEvent[] {
  return Array.from({ length: count }, (_, i) => messageEvent(accountId, start + Math.floor((i * spanMs) / count), { to: `+1212555${String(1000 + (i % 9000)).padStart(4, '0')}` }));
}
