import { buildPipeline } from '../../src/app/build-pipeline';
import type { RunConfig } from '../../src/config/run-config';
import { defaultRules } from '../../src/detectors';
import type { Violation } from '../../src/events/types';
import { DetectorService } from '../../src/kafka/detector-service';
import { DLQ_HEADERS } from '../../src/kafka/records';
import { compilePolicy } from '../../src/policy/compile';
import { SILENT_LOGGER } from '../../src/telemetry/logger';
import { callEvent, messageBurst, MINUTE, T0 } from '../helpers/events';
import { createTopicsFor, isolatedConfig, produce, readAll, testKafka, waitForCatchUp } from '../helpers/kafka';
import { projectCodecs } from '../helpers/schemas';

/**
 * The foundation's end-to-end slice on the real broker: Avro telemetry in,
 * violations out on the enforcement topic, bad records to the dead-letter topic.
 */
jest.setTimeout(90_000);

describe('detector service on a real broker', () => {
  const codecs = projectCodecs();
  let config: RunConfig;
  let service: DetectorService;

  beforeAll(async () => {
    config = isolatedConfig();
    await createTopicsFor(config);
    const policy = compilePolicy({ version: 'it-1', rules: { calls_per_hour: { threshold: 5 } } }, defaultRules());
    service = new DetectorService({ kafka: testKafka(), config, codecs, createPipeline: () => buildPipeline(policy, { ...config, trackChanges: true }), logger: SILENT_LOGGER });
    await service.start();
  });

  afterAll(async () => {
    await service.stop();
  });

  const inputTopics = (): string[] => Object.values(config.topics.input);
  const decodeViolations = async (): Promise<Violation[]> =>
    (await readAll(config.topics.violations)).map((m) => codecs.violation.decode('single-object', m.value as Buffer) as Violation);

  it('publishes a violation for the abusive account and none for the ordinary one', async () => {
    const abusive = Array.from({ length: 8 }, (_, i) => callEvent('acct-abusive', T0 + i * MINUTE));
    const ordinary = Array.from({ length: 5 }, (_, i) => callEvent('acct-ordinary', T0 + i * 10 * MINUTE));
    const spam = messageBurst('acct-spam', 1500, T0, 30 * MINUTE);
    const encode = (e: (typeof abusive)[number] | (typeof spam)[number]) => ({ key: e.accountId, value: codecs.events[e.type].encode(e, 'single-object') });
    await produce(config.topics.input.call, [...abusive, ...ordinary].map(encode));
    await produce(config.topics.input.message, spam.map(encode));
    await waitForCatchUp(config.groupId, inputTopics());

    const violations = await decodeViolations();
    const byAccount = (id: string) => violations.filter((v) => v.accountId === id);
    expect(byAccount('acct-ordinary')).toEqual([]);
    expect(byAccount('acct-abusive').map((v) => v.rule)).toEqual(['calls_per_hour']);
    expect(byAccount('acct-abusive')[0]).toMatchObject({ category: 'EXCESSIVE_VOLUME', metrics: { calls: 6 }, thresholds: { calls: 5 }, policyVersion: 'it-1', windowStart: T0 });
    // 1,500 in half an hour: over the hourly limit (1,000), under the per-minute one (50 a minute < 120).
    // Evenly spaced and one content to many numbers, it is also caught as automated and bulk: not checked here.
    const spamRules = byAccount('acct-spam').map((v) => v.rule);
    expect(spamRules).toContain('messages_per_hour');
    expect(spamRules).not.toContain('messages_per_minute');

    const records = await readAll(config.topics.violations);
    for (const r of records) expect(r.key?.toString()).toMatch(/^acct-(abusive|spam)$/);
    expect(records).toHaveLength(violations.length);
  });

  it('dead-letters malformed records with the reason and keeps processing the next good one', async () => {
    const garbage = Buffer.from('not avro at all');
    const badNumber = codecs.events.call.encode(callEvent('acct-victim', T0, { to: '+0000' }), 'single-object');
    const good = Array.from({ length: 6 }, (_, i) => callEvent('acct-victim', T0 + i * MINUTE));
    await produce(config.topics.input.call, [
      { key: 'acct-victim', value: garbage, headers: { origin: 'test' } },
      { key: 'acct-victim', value: badNumber },
      ...good.map((e) => ({ key: e.accountId, value: codecs.events.call.encode(e, 'single-object') })),
    ]);
    await waitForCatchUp(config.groupId, inputTopics());

    const dead = await readAll(config.topics.deadLetter);
    expect(dead).toHaveLength(2);
    const [first, second] = dead;
    expect(first?.value).toEqual(garbage);
    expect(first?.key?.toString()).toBe('acct-victim');
    expect(first?.headers?.origin?.toString()).toBe('test');
    expect(first?.headers?.[DLQ_HEADERS.code]?.toString()).toBe('DECODE_FAILED');
    expect(first?.headers?.[DLQ_HEADERS.reason]?.toString()).toContain('expected Avro single-object framing');
    expect(first?.headers?.[DLQ_HEADERS.topic]?.toString()).toBe(config.topics.input.call);
    expect(second?.value).toEqual(badNumber);
    expect(second?.headers?.[DLQ_HEADERS.code]?.toString()).toBe('EVENT_INVALID');
    expect(second?.headers?.[DLQ_HEADERS.reason]?.toString()).toBe('field "to": expected an E.164 phone number such as +14155550123');

    const victim = (await decodeViolations()).filter((v) => v.accountId === 'acct-victim');
    expect(victim.map((v) => v.rule)).toEqual(['calls_per_hour']);
    expect(service.state).toBe('running');
  });
});
