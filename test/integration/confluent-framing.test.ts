import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPipeline } from '../../src/app/build-pipeline';
import { codecsFor } from '../../src/cli/services';
import { defaultRules } from '../../src/detectors';
import { AvroCodec } from '../../src/events/codec';
import type { Violation } from '../../src/events/types';
import { DetectorService } from '../../src/kafka/detector-service';
import { compilePolicy } from '../../src/policy/compile';
import { confluentRegistry } from '../../src/registry/confluent-registry';
import { SILENT_LOGGER } from '../../src/telemetry/logger';
import { callEvent, MINUTE, T0 } from '../helpers/events';
import { createTopicsFor, isolatedConfig, produce, readAll, testKafka, waitForCatchUp } from '../helpers/kafka';
import { startTestRegistry, type TestRegistry } from '../helpers/registry-server';

/**
 * Confluent wire format end to end: a producer on an older CallEvent schema
 * registers it, the detector fetches it by id and resolves it to the current
 * reader, and the violation goes out in Confluent framing too.
 */
jest.setTimeout(90_000);

describe('Confluent Schema Registry framing', () => {
  let registry: TestRegistry;

  beforeAll(async () => {
    registry = await startTestRegistry();
  });
  afterAll(async () => {
    await registry.close();
  });

  it('decodes records of an older writer schema and writes violations with a registered id', async () => {
    const config = isolatedConfig({ AVRO_FRAMING: 'confluent', SCHEMA_REGISTRY_URL: registry.url });
    await createTopicsFor(config);
    const codecs = await codecsFor(config);
    const policy = compilePolicy({ rules: { calls_per_hour: { threshold: 2 } } }, defaultRules());
    const service = new DetectorService({ kafka: testKafka(), config, codecs, createPipeline: () => buildPipeline(policy, { ...config, trackChanges: true }), logger: SILENT_LOGGER });
    await service.start();
    try {
      const current = JSON.parse(readFileSync(join(__dirname, '../../schemas/CallEvent.avsc'), 'utf8')) as { fields: { name: string }[] };
      const older = { ...current, fields: current.fields.filter((f) => f.name !== 'presentedCallerId' && f.name !== 'attestation') };
      const writer = new AvroCodec('CallEvent', older, [], confluentRegistry(registry.url));
      const writerId = await writer.registerAs(`${config.topics.input.call}-value`);

      const calls = Array.from({ length: 3 }, (_, i) => callEvent('acct-old-writer', T0 + i * MINUTE));
      await produce(config.topics.input.call, calls.map((e) => ({ key: e.accountId, value: writer.encode({ ...e, disposition: null, durationMs: null }, 'confluent') })));
      await waitForCatchUp(config.groupId, Object.values(config.topics.input));

      const [record, ...more] = await readAll(config.topics.violations);
      expect(more).toEqual([]);
      const value = record?.value as Buffer;
      expect(value[0]).toBe(0);
      const violationId = value.readUInt32BE(1);
      expect(violationId).not.toBe(writerId);
      expect(registry.ids()).toContain(violationId);
      const violation = codecs.violation.decode('confluent', value) as Violation;
      expect(violation).toMatchObject({ accountId: 'acct-old-writer', rule: 'calls_per_hour', metrics: { calls: 3 } });
      expect(violation.evidence).toEqual(calls.map((c) => c.eventId));
    } finally {
      await service.stop();
    }
  });
});
