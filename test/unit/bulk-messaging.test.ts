import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { bulkMessaging } from '../../src/detectors/bulk-messaging';
import { HashSet32 } from '../../src/detectors/bulk-messaging/hash-set32';
import { hash32 } from '../../src/detectors/bulk-messaging/hash32';
import { addRecipient, recipientsAround } from '../../src/detectors/bulk-messaging/recipient-sketch';
import { createBulkMessagingState } from '../../src/detectors/bulk-messaging/state';
import { BULK_MESSAGING_RULES } from '../../src/detectors/bulk-messaging/rules';
import { NOOP_OBSERVER, type PipelineObserver } from '../../src/engine/pipeline';
import type { MessageEvent, ReportEvent, TelemetryEvent, Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { HOUR, messageEvent, MINUTE, reportEvent, T0 } from '../helpers/events';

const DAY = 24 * HOUR;
const DAY_START = Date.UTC(2026, 0, 5);

/** Processes the events in the order given (tests build them in time order). */
function run(events: TelemetryEvent[], rawPolicy?: unknown, observer?: PipelineObserver): Violation[] {
  const pipeline = buildPipeline(compilePolicy(rawPolicy, BULK_MESSAGING_RULES), DEFAULT_PIPELINE_SETTINGS, observer, [bulkMessaging]);
  return events.flatMap((e) => pipeline.process(e, 0));
}

const rules = (vs: Violation[]): string[] => vs.map((v) => v.rule);

/** `count` distinct E.164 numbers of one block, e.g. numbers('312555', 40) → +13125550000 … */
function numbers(block: string, count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => `+1${block}${String(from + i).padStart(4, '0')}`);
}

/** One message (one messageId, one content) to each recipient, `spacingMs` apart. */
function broadcast(account: string, contentHash: string, recipients: string[], start: number, spacingMs = 1000): MessageEvent[] {
  const messageId = `${account}-${contentHash}-${start}`;
  return recipients.map((to, i) => messageEvent(account, start + i * spacingMs, { to, contentHash, messageId }));
}

/** A different content to each recipient (the business-reminder shape), `spacingMs` apart. */
function individual(account: string, recipients: string[], start: number, spacingMs: number): MessageEvent[] {
  return recipients.map((to, i) => messageEvent(account, start + i * spacingMs, { to, contentHash: `${account}-unique-${start}-${i}` }));
}

function reports(account: string, reporters: string[], start: number, reason: ReportEvent['reason'] = 'spam'): ReportEvent[] {
  return reporters.map((reporterNumber, i) => reportEvent(account, start + i * MINUTE, { reporterNumber, reason }));
}

/** A heavy texter: hundreds of messages a day to three friends, short stock replies repeated many times. */
function heavyTexter(account: string, start: number): MessageEvent[] {
  const friends = numbers('415555', 3, 100);
  const stock = ['ok', 'lol', 'on my way', 'haha', 'love you'];
  return Array.from({ length: 400 }, (_, i) =>
    messageEvent(account, start + i * 2 * MINUTE, { to: friends[i % 3] ?? '', contentHash: i % 4 === 0 ? `stock-${stock[i % 5] ?? ''}` : `${account}-chat-${i}` }),
  );
}

describe('bulk-messaging building blocks', () => {
  it('hash set: a FIFO ring forgets the oldest, a saturating set stops at its cap', () => {
    const ring = new HashSet32(3, 'evict-oldest');
    expect([1, 2, 3, 2].map((h) => ring.add(h))).toEqual([true, true, true, false]);
    expect(ring.add(4)).toBe(true);
    expect([ring.has(1), ring.has(2), ring.has(4), ring.size]).toEqual([false, true, true, 3]);
    const capped = new HashSet32(3, 'saturate');
    expect([1, 2, 3, 4, 1].map((h) => capped.add(h))).toEqual([true, true, true, false, false]);
    expect([capped.size, capped.has(4)]).toEqual([3, false]);
  });

  it('hash32 is stable and spreads numbers that differ in the last digit', () => {
    expect(hash32('+13125550000')).toBe(hash32('+13125550000'));
    const low = new Set(numbers('312555', 1000).map((n) => hash32(n) & 1023));
    expect(low.size).toBeGreaterThan(550); // ~632 expected for 1,000 uniform draws into 1,024 buckets
  });

  it('recipient sketch estimates distinct recipients within a few percent and keeps the previous window', () => {
    const sketch = createBulkMessagingState();
    for (const n of [...numbers('312555', 150), ...numbers('312555', 150)]) addRecipient(sketch, hash32(n), T0, DAY);
    expect(Math.abs(recipientsAround(sketch, DAY_START, DAY) - 150)).toBeLessThanOrEqual(8);
    for (const n of numbers('646555', 1500)) addRecipient(sketch, hash32(n), T0 + DAY, DAY);
    expect(Math.abs(recipientsAround(sketch, DAY_START + DAY, DAY) - 1500) / 1500).toBeLessThan(0.06);
    // A report on the next day still sees the day before's 1,500; two days on, nothing.
    expect(recipientsAround(sketch, DAY_START + 2 * DAY, DAY)).toBe(recipientsAround(sketch, DAY_START + DAY, DAY));
    expect(recipientsAround(sketch, DAY_START + 3 * DAY, DAY)).toBe(0);
    expect(addRecipient(sketch, 1, T0, DAY)).toBe('late');
  });
});

describe('same_content_recipients', () => {
  it('flags one content sent to more than 50 distinct recipients, once a day, with its own evidence', () => {
    // 120 recipients: one template alone is not a campaign of rotating templates, however far it goes.
    const sent = broadcast('promo', 'promo-1', numbers('312555', 120), T0, 30_000);
    const violations = run(sent);
    expect(rules(violations)).toEqual(['same_content_recipients']);
    const v = violations[0] as Violation;
    expect(v).toMatchObject({
      accountId: 'promo',
      category: 'BULK_MESSAGING',
      severity: 'medium',
      action: 'throttle',
      windowStart: DAY_START,
      windowEnd: DAY_START + DAY,
      detectedAt: sent[50]?.eventTime,
      metrics: { recipients: 51 },
      thresholds: { recipients: 50 },
    });
    expect(v.evidence).toEqual(sent.slice(41, 51).map((e) => e.eventId));
  });

  it('spares a group invitation to thirty contacts and a holiday greeting to forty', () => {
    expect(run(broadcast('host', 'invite', numbers('312555', 30), T0, 200))).toEqual([]);
    expect(run(broadcast('greeter', 'season-greetings', numbers('312555', 40), T0, 20_000))).toEqual([]);
  });

  it('counts distinct recipients, not deliveries: the same text to the same five friends all day is not bulk', () => {
    const friends = numbers('415555', 5);
    expect(run(Array.from({ length: 200 }, (_, i) => messageEvent('friendly', T0 + i * MINUTE, { to: friends[i % 5] ?? '', contentHash: 'see-you-soon' })))).toEqual([]);
  });

  it('counts per day: forty recipients today and forty tomorrow stay under', () => {
    const today = broadcast('daily', 'promo', numbers('312555', 40), T0);
    const tomorrow = broadcast('daily', 'promo', numbers('312555', 40, 40), T0 + DAY);
    expect(run([...today, ...tomorrow])).toEqual([]);
    expect(rules(run([...today, ...broadcast('daily', 'promo', numbers('312555', 40, 40), T0 + HOUR)]))).toEqual(['same_content_recipients']);
  });
});

describe('template_campaign_recipients', () => {
  const TEMPLATES = ['tpl-a', 'tpl-b', 'tpl-c', 'tpl-d'];

  it('flags four rotating templates whose recipients add up past 100, though none alone passes 50', () => {
    const targets = numbers('312555', 120);
    const sent = targets.map((to, i) => messageEvent('rotator', T0 + i * 20_000, { to, contentHash: TEMPLATES[i % 4] ?? '' }));
    const violations = run(sent);
    expect(rules(violations)).toEqual(['template_campaign_recipients']);
    expect(violations[0]).toMatchObject({ severity: 'high', action: 'suspend', metrics: { recipients: 101, templates: 4 }, thresholds: { recipients: 100 }, detectedAt: sent[100]?.eventTime });
    expect(violations[0]?.evidence).toEqual(sent.slice(91, 101).map((e) => e.eventId));
  });

  it('keeps a campaign tracked while one-off messages churn through the table', () => {
    const targets = numbers('312555', 120);
    const sent = targets.flatMap((to, i) => [
      messageEvent('mixed', T0 + i * 60_000, { to, contentHash: TEMPLATES[i % 3] ?? '' }),
      ...Array.from({ length: 12 }, (_, j) => messageEvent('mixed', T0 + i * 60_000 + (j + 1) * 1000, { to: `+1646555${String(j).padStart(4, '0')}`, contentHash: `chat-${i}-${j}` })),
    ]);
    expect(rules(run(sent))).toEqual(['template_campaign_recipients']);
  });

  it('spares a holiday greeting to forty and a group invitation to thirty on the same day', () => {
    const greeting = broadcast('organiser', 'greeting', numbers('312555', 40), T0);
    const invite = broadcast('organiser', 'invite', numbers('312555', 30, 10), T0 + 2 * HOUR);
    expect(run([...greeting, ...invite])).toEqual([]);
  });

  it('spares a group-chat admin posting several different messages to the same forty members (one audience)', () => {
    const members = numbers('312555', 40);
    const posts = ['agenda', 'venue', 'reminder', 'thanks'].flatMap((post, i) => broadcast('admin', post, members, T0 + i * 2 * HOUR));
    expect(run(posts)).toEqual([]);
  });

  it('still flags rotating templates when a recipient shared between them counts once', () => {
    // 4 wordings to 30 fresh numbers each, plus the same 5 friends on every one: 125 distinct recipients.
    const friends = numbers('646555', 5);
    const sent = TEMPLATES.flatMap((tpl, k) => broadcast('rotator2', tpl, [...friends, ...numbers('312555', 30, k * 30)], T0 + k * HOUR));
    const violations = run(sent);
    expect(rules(violations)).toEqual(['template_campaign_recipients']);
    expect(violations[0]?.metrics).toMatchObject({ recipients: 101 });
  });

  it('spares a heavy texter whose stock replies go to the same few friends', () => {
    expect(run(heavyTexter('texter', T0))).toEqual([]);
  });
});

describe('new_recipient_fanout', () => {
  it('flags more than 400 recipients never messaged before in a day, even with every message different', () => {
    const sent = individual('snowshoe', numbers('312555', 420), T0, 30_000);
    const violations = run(sent);
    expect(rules(violations)).toEqual(['new_recipient_fanout']);
    expect(violations[0]).toMatchObject({ severity: 'medium', action: 'throttle', metrics: { newRecipients: 401 }, thresholds: { newRecipients: 400 }, detectedAt: sent[400]?.eventTime });
    expect(violations[0]?.evidence).toHaveLength(10);
  });

  it('spares a business sending 300 individual reminders to its customers', () => {
    expect(run(individual('dentist', numbers('312555', 300), T0, 90_000))).toEqual([]);
  });

  it('remembers earlier contacts: yesterday’s 300 customers and 150 new ones today are not 450 new', () => {
    const customers = numbers('312555', 300);
    const yesterday = individual('salon', customers, T0, 60_000);
    const today = individual('salon', [...customers, ...numbers('646555', 150)], T0 + DAY, 60_000);
    expect(run([...yesterday, ...today])).toEqual([]);
    // The same 450 recipients from an account with no history are all new.
    expect(rules(run(individual('fresh', [...customers, ...numbers('646555', 150)], T0 + DAY, 60_000)))).toEqual(['new_recipient_fanout']);
  });

  it('spares a heavy texter in long conversations with a few friends', () => {
    expect(run([...heavyTexter('chatty', T0), ...heavyTexter('chatty', T0 + DAY)])).toEqual([]);
  });
});

describe('message_spam_reports', () => {
  it('flags more than 3 distinct spam reporters above 2% of the day’s recipients', () => {
    const recipients = numbers('312555', 150);
    const complaints = reports('reported', recipients.slice(0, 4), T0 + 4 * HOUR);
    const violations = run([...individual('reported', recipients, T0, 60_000), ...complaints]);
    expect(rules(violations)).toEqual(['message_spam_reports']);
    const v = violations[0] as Violation;
    expect(v).toMatchObject({ severity: 'high', action: 'suspend', detectedAt: complaints[3]?.eventTime, thresholds: { reporters: 3, reportPercent: 2 } });
    expect(v.metrics.reporters).toBe(4);
    expect(Math.abs((v.metrics.recipients ?? 0) - 150)).toBeLessThanOrEqual(8);
    expect(v.metrics.reportPercent).toBeGreaterThan(2.5);
    expect(v.evidence).toEqual(complaints.map((e) => e.eventId));
  });

  it('spares a business whose 300 reminders draw four unwanted reports (1.3%), but not eight (2.7%)', () => {
    const customers = numbers('312555', 300);
    const reminders = individual('clinic', customers, T0, 60_000);
    expect(run([...reminders, ...reports('clinic', customers.slice(0, 4), T0 + 6 * HOUR, 'unwanted')])).toEqual([]);
    expect(rules(run([...reminders, ...reports('clinic', customers.slice(0, 8), T0 + 6 * HOUR, 'unwanted')]))).toEqual(['message_spam_reports']);
  });

  it('counts one friend reporting five times once, and ignores other reasons and accounts that sent no messages', () => {
    const friends = numbers('415555', 5);
    const chat = individual('pal', friends, T0, MINUTE);
    expect(run([...chat, ...reports('pal', Array.from({ length: 5 }, () => friends[0] ?? ''), T0 + HOUR)])).toEqual([]);
    expect(run([...chat, ...reports('pal', friends, T0 + HOUR, 'harassment')])).toEqual([]);
    expect(run(reports('caller', numbers('312555', 10), T0))).toEqual([]);
  });

  it('measures reports just after midnight against the evening before', () => {
    const recipients = numbers('312555', 100);
    const evening = individual('night-owl', recipients, DAY_START + DAY - 2 * HOUR, 30_000);
    const morning = reports('night-owl', recipients.slice(0, 5), DAY_START + DAY + HOUR);
    expect(run([...evening, ...morning]).map((v) => [v.rule, v.windowStart, v.metrics.reporters])).toEqual([['message_spam_reports', DAY_START + DAY, 4]]);
  });
});

describe('bulk-messaging policy and windows', () => {
  it('does not count allow-listed destinations', () => {
    const allowed = numbers('800555', 60);
    const sent = [...broadcast('school', 'closure', allowed, T0), ...broadcast('school', 'closure', numbers('312555', 30), T0 + HOUR)];
    expect(run(sent, { allow: { destinations: allowed } })).toEqual([]);
    expect(rules(run(sent))).toEqual(['same_content_recipients']);
  });

  it('reads thresholds per tier and stays silent when a rule is off', () => {
    const tiers = { tiers: { business: { accountPrefixes: ['biz-'], rules: { new_recipient_fanout: { threshold: 2000 } } } } };
    expect(run(individual('biz-courier', numbers('312555', 450), T0, 20_000), tiers)).toEqual([]);
    expect(rules(run(individual('courier', numbers('312555', 450), T0, 20_000), tiers))).toEqual(['new_recipient_fanout']);
    expect(run(broadcast('promo', 'p', numbers('312555', 80), T0), { rules: { same_content_recipients: { mode: 'off' } } })).toEqual([]);
  });

  it('keeps the template rules apart when a policy gives them different windows', () => {
    const hourly = { rules: { same_content_recipients: { windowMs: HOUR } } };
    const rotating = numbers('312555', 120).map((to, i) => messageEvent('rotator', T0 + i * MINUTE, { to, contentHash: `tpl-${i % 2}` }));
    // Two templates of 60 recipients over two hours: 30 an hour each, but 120 in the day.
    expect(run(rotating, hourly).map((v) => [v.rule, v.windowEnd - v.windowStart])).toEqual([['template_campaign_recipients', DAY]]);
    const burst = broadcast('burst', 'p', numbers('312555', 60), T0, 30_000);
    expect(run(burst, hourly).map((v) => [v.rule, v.windowStart, v.windowEnd])).toEqual([['same_content_recipients', T0, T0 + HOUR]]);
  });

  it('reports deliveries whose window is gone as late instead of counting them', () => {
    const late = jest.fn();
    run([messageEvent('slow', T0 + DAY, { to: '+13125550001' }), messageEvent('slow', T0, { to: '+13125550002' })], undefined, { ...NOOP_OBSERVER, late });
    expect(late.mock.calls.map((c: unknown[]) => c[1]).sort()).toEqual(['message_spam_reports', 'new_recipient_fanout', 'same_content_recipients', 'template_campaign_recipients']);
  });

  it('keeps numbers, content hashes and text out of violations, and its state for a day', () => {
    const sent = broadcast('leaky', 'content-hash-secret', numbers('312555', 60), T0).map((e) => ({ ...e, text: 'WIN A PRIZE' }));
    const out = JSON.stringify(run(sent));
    expect(out).toContain('same_content_recipients');
    for (const secret of ['+1312', 'content-hash-secret', 'WIN A PRIZE']) expect(out).not.toContain(secret);
    expect(bulkMessaging.stateTtlMs(compilePolicy(undefined, BULK_MESSAGING_RULES))).toBe(DAY);
  });
});
