import { BadRecordError } from '../../src/errors';
import { validateEvent } from '../../src/events/validate';
import { caught } from '../helpers/errors';
import { callEvent, messageEvent, registrationEvent, reportEvent, T0 } from '../helpers/events';

function rejection(value: unknown, expectedType?: 'call'): BadRecordError {
  return caught(BadRecordError, () => validateEvent(value, expectedType));
}

describe('validateEvent', () => {
  it('accepts each contract event type and keeps its fields', () => {
    for (const e of [callEvent('a1', T0), messageEvent('a1', T0, { text: 'hi' }), registrationEvent('a1', T0), reportEvent('a1', T0, { relatedEventId: 'x' })]) {
      expect(validateEvent(JSON.parse(JSON.stringify(e)))).toEqual(e);
    }
  });

  it('treats null optional fields as absent', () => {
    const e = validateEvent({ ...callEvent('a1', T0), presentedCallerId: null, attestation: null, disposition: null, durationMs: null });
    expect(e).not.toHaveProperty('presentedCallerId');
    expect(e).not.toHaveProperty('durationMs');
  });

  it('names a missing field', () => {
    const { to: _to, ...rest } = messageEvent('a1', T0);
    expect(rejection(rest).message).toBe('field "to" is missing');
  });

  it('rejects a phone number that is not E.164 without quoting it', () => {
    const err = rejection(callEvent('a1', T0, { to: '4085550177' }));
    expect(err.code).toBe('EVENT_INVALID');
    expect(err.message).toContain('field "to": expected an E.164 phone number');
    expect(err.message).not.toContain('4085550177');
  });

  it('rejects impossible values', () => {
    expect(rejection(callEvent('a1', T0, { durationMs: -5 })).message).toContain('durationMs');
    expect(rejection(callEvent('a1', 42)).message).toContain('eventTime');
    expect(rejection(callEvent('a1', T0, { phase: 'start', disposition: 'answered' })).message).toContain('disposition');
    expect(rejection(registrationEvent('a1', T0, { ipAddress: '999.1.1.1' })).message).toContain('ipAddress');
    expect(rejection({ ...messageEvent('a1', T0), contentLength: 1.5 }).message).toContain('contentLength');
    expect(rejection({ ...callEvent('a1', T0), phase: 'ringing' }).message).toContain('one of start, answer, end');
  });

  it('rejects a record of another type than its topic carries', () => {
    expect(rejection(messageEvent('a1', T0), 'call').message).toContain('"call" on this topic');
  });

  it('rejects what is not an object', () => {
    for (const v of [null, 42, 'call', [callEvent('a1', T0)]]) expect(rejection(v).message).toContain('JSON object');
  });
});
