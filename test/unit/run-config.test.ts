import { runConfigFromEnv } from '../../src/config/run-config';
import { ConfigError } from '../../src/errors';
import { caught } from '../helpers/errors';

const problems = (env: Record<string, string>): readonly string[] => caught(ConfigError, () => runConfigFromEnv(env)).problems;

describe('run configuration', () => {
  it('has working defaults from the contract', () => {
    const c = runConfigFromEnv({});
    expect(c.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.topics.input.call).toBe('comms.call-events');
    expect(c.topics.violations).toBe('abuse.violations');
    expect(c.topics.deadLetter).toBe('abuse.telemetry-dlq');
    expect(c.framing['comms.message-events']).toBe('single-object');
    expect(Object.isFrozen(c)).toBe(true);
    expect([c.fetchMinBytes, c.fetchMaxWaitMs]).toEqual([65536, 50]);
  });

  it('bounds the fetch settings', () => {
    expect(problems({ FETCH_MIN_BYTES: '0', FETCH_MAX_WAIT_MS: '50ms' })).toEqual([
      'FETCH_MIN_BYTES: "0" is not a whole number from 1 to 52428800',
      'FETCH_MAX_WAIT_MS: "50ms" is not a whole number from 0 to 10000',
    ]);
    expect(runConfigFromEnv({ FETCH_MIN_BYTES: '1', FETCH_MAX_WAIT_MS: '0' })).toMatchObject({ fetchMinBytes: 1, fetchMaxWaitMs: 0 });
  });

  it('reads the backlog commit interval, 10 s by default, 0 to 5 minutes', () => {
    expect(runConfigFromEnv({}).commitIntervalMs).toBe(10_000);
    expect(runConfigFromEnv({ COMMIT_INTERVAL_MS: '0' }).commitIntervalMs).toBe(0);
    expect(problems({ COMMIT_INTERVAL_MS: '300001' })).toEqual(['COMMIT_INTERVAL_MS: "300001" is not a whole number from 0 to 300000']);
    expect(problems({ COMMIT_INTERVAL_MS: '1s' })).toEqual(['COMMIT_INTERVAL_MS: "1s" is not a whole number from 0 to 300000']);
  });

  it('reads the caught-up commit interval, 200 ms by default, 0 to the tick\'s second', () => {
    expect(runConfigFromEnv({}).caughtUpCommitIntervalMs).toBe(200);
    expect(runConfigFromEnv({ CAUGHT_UP_COMMIT_INTERVAL_MS: '0' }).caughtUpCommitIntervalMs).toBe(0);
    expect(problems({ CAUGHT_UP_COMMIT_INTERVAL_MS: '1001' })).toEqual(['CAUGHT_UP_COMMIT_INTERVAL_MS: "1001" is not a whole number from 0 to 1000']);
  });

  it('caps STATE_MAX_KEYS below what one key map of a partition can hold', () => {
    expect(problems({ STATE_MAX_KEYS: '5000000' })).toEqual(['STATE_MAX_KEYS: "5000000" is not a whole number from 1 to 4000000']);
    expect(runConfigFromEnv({ STATE_MAX_KEYS: '4000000' }).maxKeysPerDetector).toBe(4_000_000);
  });

  it('names each bad setting', () => {
    expect(problems({ KAFKA_BROKERS: 'localhost', METRICS_PORT: '99999', LOG_LEVEL: 'loud', FROM_BEGINNING: 'maybe' })).toEqual([
      'KAFKA_BROKERS: "localhost" is not host:port (e.g. 127.0.0.1:9092)',
      'METRICS_PORT: "99999" is not a whole number from 0 to 65535',
      'LOG_LEVEL: "loud" is not one of debug, info, warn, error',
      'FROM_BEGINNING: "maybe" is not true or false',
    ]);
  });

  it('sets framing per topic and demands a registry for Confluent framing', () => {
    expect(problems({ AVRO_FRAMING_BY_TOPIC: 'comms.call-events=confluent' })).toEqual([
      'SCHEMA_REGISTRY_URL: required because comms.call-events use confluent framing',
    ]);
    const c = runConfigFromEnv({ AVRO_FRAMING_BY_TOPIC: 'comms.call-events=confluent', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081' });
    expect(c.framing['comms.call-events']).toBe('confluent');
    expect(c.framing['comms.message-events']).toBe('single-object');
    expect(problems({ AVRO_FRAMING_BY_TOPIC: 'nope=confluent' })[0]).toContain('"nope" is none of the configured topics');
  });

  it('refuses two roles on one topic', () => {
    expect(problems({ TOPIC_DLQ: 'abuse.violations' })[0]).toContain('every topic must be distinct');
  });
});
