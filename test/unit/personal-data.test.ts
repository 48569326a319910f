import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { defaultRules } from '../../src/detectors';
import { countCardNumbers, luhnValid } from '../../src/detectors/personal-data/card-numbers';
import { countCredentials } from '../../src/detectors/personal-data/credentials';
import { countIdentityNumbers } from '../../src/detectors/personal-data/identity-numbers';
import type { TelemetryEvent, Violation } from '../../src/events/types';
import { personalData } from '../../src/detectors/personal-data';
import { compilePolicy } from '../../src/policy/compile';
import { Random } from '../../src/simulate/random';
import { detectorContext } from '../helpers/detector-context';
import { HOUR, messageEvent, T0 } from '../helpers/events';

function run(events: TelemetryEvent[]): Violation[] {
  const pipeline = buildPipeline(compilePolicy(undefined, defaultRules()), DEFAULT_PIPELINE_SETTINGS);
  return events.flatMap((e) => pipeline.process(e, 0)).filter((v) => v.category === 'PERSONAL_DATA_SHARING');
}

describe('card numbers', () => {
  it('finds Luhn-valid numbers of the card networks, grouped or not', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(countCardNumbers('card 4111 1111 1111 1111 exp 04/29')).toBe(1);
    expect(countCardNumbers('5555-5555-5555-4444 and 378282246310005')).toBe(2);
  });

  it('ignores order, invoice and tracking numbers, phone numbers and numbers that fail Luhn', () => {
    expect(countCardNumbers('Your order #4111111111111111 has shipped')).toBe(0);
    expect(countCardNumbers('Order number: 5555 5555 5555 4444')).toBe(0);
    expect(countCardNumbers('invoice 4012888888881881 is due')).toBe(0);
    expect(countCardNumbers('call me on +44 7911 123456 or +14155550123')).toBe(0);
    expect(countCardNumbers('ref 4111 1111 1111 1112')).toBe(0);
    expect(countCardNumbers('4111111111111112 and 0000000000000000')).toBe(0);
    // Luhn-valid but no card network starts with 9.
    expect(countCardNumbers('9111111111111115')).toBe(0);
  });
});

describe('national identity numbers', () => {
  it('finds SSNs and National Insurance numbers in their valid formats only', () => {
    expect(countIdentityNumbers('my ssn is 123-45-6789')).toBe(1);
    expect(countIdentityNumbers('NI number AB 12 34 56 C')).toBe(1);
    expect(countIdentityNumbers('000-12-3456 666-12-3456 900-12-3456 123-00-4567 123-45-0000')).toBe(0);
    expect(countIdentityNumbers('on 2026-11-25 call 415-555-0123')).toBe(0);
    expect(countIdentityNumbers('QQ 12 34 56 C and GB123456A')).toBe(0);
  });
});

describe('credentials', () => {
  it('counts stated passwords, PINs and one-time codes, not talk about them', () => {
    expect(countCredentials('my password is Tr0ub4dor&3')).toBe(1);
    expect(countCredentials('the code is 552817, pin: 4821')).toBe(2);
    expect(countCredentials('I forgot my password')).toBe(0);
    expect(countCredentials('your password is incorrect, please reset your password')).toBe(0);
    expect(countCredentials('the code is broken again')).toBe(0);
  });
});

describe('PERSONAL_DATA_SHARING', () => {
  it('flags a card number once a day, with counts and event ids but never the text', () => {
    const first = messageEvent('acct-1', T0, { text: 'here it is 4111 1111 1111 1111 cvv 123' });
    const second = messageEvent('acct-1', T0 + HOUR, { text: 'and the other 5555555555554444' });
    const violations = run([first, second]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ rule: 'card_number_shared', severity: 'high', metrics: { messages: 1, cardNumbers: 1 }, evidence: [first.eventId] });
    const json = JSON.stringify(violations);
    expect(json).not.toContain('4111');
    expect(json).not.toContain('cvv');
  });

  it('stays silent for order numbers and phone numbers in texts, and for messages without text', () => {
    const texts = ['Your order #4111111111111111 is ready', 'Reminder: appointment at 10:00, call +14155550123 to move it', 'ok see you at 7'];
    expect(run([...texts.map((text, i) => messageEvent('biz', T0 + i, { text })), messageEvent('x', T0)])).toEqual([]);
  });

  it('flags national identity numbers and credentials as their own rules', () => {
    const violations = run([messageEvent('a', T0, { text: 'ssn 123-45-6789' }), messageEvent('a', T0 + 1, { text: 'password: hunter22' })]);
    expect(violations.map((v) => v.rule)).toEqual(['national_id_shared', 'credential_shared']);
  });
});

describe('PERSONAL_DATA_SHARING holds state only for messages that carry something', () => {
  const policy = compilePolicy(undefined, defaultRules([personalData]));
  const TEXTS = ['see you at 6', 'card 4111 1111 1111 1111 exp 04/29', 'ssn 123-45-6789', 'password: hunter22', 'Order number: 5555 5555 5555 4444', '', undefined];

  it('needsState is false exactly when onEvent would change nothing and find nothing, and the scan it made is the one onEvent uses', () => {
    const rnd = new Random(9);
    const state = personalData.createState();
    let passedBy = 0;
    let kept = 0;
    for (let i = 0; i < 2_000; i++) {
      const text = TEXTS[rnd.int(0, TEXTS.length)];
      const event = messageEvent('pd-model', T0 + i * 60_000, text === undefined ? {} : { text });
      const needs = personalData.needsState?.(event);
      const before = personalData.codec?.encode(state);
      const findings = personalData.onEvent(state, event, detectorContext(policy, event.accountId));
      const after = personalData.codec?.encode(state);
      if (needs === false) {
        passedBy++;
        expect({ i, findings, state: after }).toEqual({ i, findings: [], state: before });
      } else {
        kept++;
        expect(after).not.toEqual(before);
      }
    }
    expect([passedBy, kept].every((n) => n > 300)).toBe(true);
  });

  it('an account whose messages carry nothing has no personal data state in the store', () => {
    const pipeline = buildPipeline(policy, DEFAULT_PIPELINE_SETTINGS, undefined, [personalData]);
    pipeline.process(messageEvent('pd-ordinary', T0, { text: 'running late, 10 min' }), 0);
    expect(pipeline.snapshot().detectors.flatMap((d) => d.entries)).toEqual([]);
    pipeline.process(messageEvent('pd-ordinary', T0 + 1, { text: 'ssn 123-45-6789' }), 0);
    expect(pipeline.snapshot().detectors.flatMap((d) => d.entries.map((e) => e.key))).toEqual(['pd-ordinary']);
  });
});
