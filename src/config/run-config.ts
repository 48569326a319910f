import { ConfigError } from '../errors';
import { FRAMINGS, type Framing } from '../events/framing';
import { EVENT_TYPES, type EventType } from '../events/types';
import { DEFAULT_TOPICS, type Topics } from './topics';

/**
 * The service's settings: environment variables → one validated, frozen
 * object. The only reader of process.env is `runConfigFromEnv`; everything
 * else receives this object. Every bad setting is reported, by name, at once.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface RunConfig {
  brokers: string[];
  clientId: string;
  groupId: string;
  sessionTimeoutMs: number;
  /** A fetch waits for at least this many bytes of records (all partitions together), or fetchMaxWaitMs. */
  fetchMinBytes: number;
  fetchMaxWaitMs: number;
  /** While a partition works through a backlog, it commits at most this often. */
  commitIntervalMs: number;
  /** Caught up, a partition with no violations to publish commits at most this often (one with violations, every fetch). */
  caughtUpCommitIntervalMs: number;
  topics: Topics;
  /** Partitions for topics that `abuse-detector topics` creates. */
  topicPartitions: number;
  /** Framing of each topic (input, violations and dead-letter values). */
  framing: Readonly<Record<string, Framing>>;
  schemaRegistryUrl: string | undefined;
  policyFile: string | undefined;
  policyReloadMs: number;
  metricsPort: number;
  logLevel: LogLevel;
  fromBeginning: boolean;
  maxKeysPerDetector: number;
  allowedDisorderMs: number;
  duplicateHorizon: number;
  idleTimeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Every variable the service reads, with its default and meaning (README lists these). */
export const ENV_VARS: Readonly<Record<string, { default: string; doc: string }>> = {
  KAFKA_BROKERS: { default: '127.0.0.1:9092', doc: 'comma-separated host:port list' },
  KAFKA_CLIENT_ID: { default: 'abuse-detector', doc: 'Kafka client id' },
  KAFKA_SESSION_TIMEOUT_MS: { default: '30000', doc: 'consumer group session timeout: how long a process that died unannounced (kill -9) keeps its partitions' },
  KAFKA_GROUP_ID: { default: 'abuse-detector', doc: 'consumer group; processes with the same id share partitions' },
  FETCH_MIN_BYTES: { default: '65536', doc: 'a fetch waits for at least this many bytes of records (or FETCH_MAX_WAIT_MS): fewer, larger fetches, and so fewer transactions (at most one per partition and fetch)' },
  FETCH_MAX_WAIT_MS: { default: '50', doc: 'how long a fetch waits for FETCH_MIN_BYTES: the most a record waits for its fetch at a low rate' },
  COMMIT_INTERVAL_MS: {
    default: '10000',
    doc: 'while a partition works through a backlog it commits this often (or every 100,000 records), so a key changed many times is written to the changelog once; caught up, CAUGHT_UP_COMMIT_INTERVAL_MS applies. 0 commits every fetch of a backlog',
  },
  CAUGHT_UP_COMMIT_INTERVAL_MS: {
    default: '200',
    doc: 'a caught-up partition commits at the end of every fetch that gave it violations to publish (their latency), otherwise at most this often, so its fetches share transactions and changelog records. 0 commits every fetch',
  },
  TOPIC_CALLS: { default: DEFAULT_TOPICS.call, doc: 'call telemetry topic' },
  TOPIC_MESSAGES: { default: DEFAULT_TOPICS.message, doc: 'message telemetry topic' },
  TOPIC_REGISTRATIONS: { default: DEFAULT_TOPICS.registration, doc: 'registration telemetry topic' },
  TOPIC_REPORTS: { default: DEFAULT_TOPICS.report, doc: 'report telemetry topic' },
  TOPIC_VIOLATIONS: { default: DEFAULT_TOPICS.violations, doc: 'enforcement topic the violations go to' },
  TOPIC_DLQ: { default: DEFAULT_TOPICS.deadLetter, doc: 'dead-letter topic for records that do not decode or validate' },
  TOPIC_CHANGELOG: { default: '', doc: 'compacted topic of the detector state (a partition per input partition), restored on start and rebalance; `<KAFKA_GROUP_ID>-state-changelog` when empty, so each deployment has its own' },
  TOPIC_PARTITIONS: { default: '6', doc: 'partitions of the topics `abuse-detector topics` creates' },
  AVRO_FRAMING: { default: 'single-object', doc: 'framing of every topic: single-object or confluent' },
  AVRO_FRAMING_BY_TOPIC: { default: '', doc: 'per-topic overrides, e.g. comms.call-events=confluent,abuse.violations=confluent' },
  SCHEMA_REGISTRY_URL: { default: '', doc: 'Confluent-compatible schema registry; required when a topic uses confluent framing' },
  POLICY_FILE: { default: '', doc: 'policy file (YAML or JSON); built-in defaults when empty' },
  POLICY_RELOAD_MS: { default: '5000', doc: 'how often the policy file is checked for changes; 0 disables reloading' },
  METRICS_PORT: { default: '9464', doc: 'port of /metrics, /healthz and /readyz; 0 disables the server' },
  LOG_LEVEL: { default: 'info', doc: 'debug, info, warn or error' },
  FROM_BEGINNING: { default: 'true', doc: 'a new consumer group starts at the earliest offset (true) or the latest (false)' },
  STATE_MAX_KEYS: { default: '1000000', doc: 'cap on keys (accounts, devices, …) per state store, at most 4000000; least recently used evicted past it' },
  ALLOWED_DISORDER_MS: { default: '60000', doc: 'how far event time may run backwards on a partition before events are late' },
  DUPLICATE_HORIZON: { default: '100000', doc: 'event ids remembered per partition to drop redelivered records; 0 turns it off' },
  IDLE_PARTITION_TIMEOUT_MS: { default: '300000', doc: 'a partition without events for this long (wall clock) stops holding back state expiry' },
};

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  str(name: string): string {
    const raw = this.env[name];
    return raw === undefined || raw.trim() === '' ? (ENV_VARS[name]?.default ?? '') : raw.trim();
  }

  int(name: string, min: number, max: number): number {
    const raw = this.str(name);
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      this.problems.push(`${name}: "${raw}" is not a whole number from ${min} to ${max}`);
      return min;
    }
    return n;
  }

  bool(name: string): boolean {
    const raw = this.str(name).toLowerCase();
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    this.problems.push(`${name}: "${raw}" is not true or false`);
    return false;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const raw = this.str(name);
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name}: "${raw}" is not one of ${allowed.join(', ')}`);
    return allowed[0] as T;
  }

  topic(name: string): string {
    const raw = this.str(name);
    if (!/^[a-zA-Z0-9._-]{1,249}$/.test(raw)) this.problems.push(`${name}: "${raw}" is not a valid Kafka topic name`);
    return raw;
  }
}

function brokers(r: Reader): string[] {
  const list = r.str('KAFKA_BROKERS').split(',').map((b) => b.trim()).filter((b) => b !== '');
  for (const b of list) {
    const m = /^([^:\s]+):(\d{1,5})$/.exec(b);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) r.problems.push(`KAFKA_BROKERS: "${b}" is not host:port (e.g. 127.0.0.1:9092)`);
  }
  if (list.length === 0) r.problems.push('KAFKA_BROKERS: empty; give at least one host:port');
  return list;
}

function framing(r: Reader, topics: Topics): Record<string, Framing> {
  const fallback = r.oneOf('AVRO_FRAMING', FRAMINGS);
  const all = [...Object.values(topics.input), topics.violations, topics.deadLetter];
  const out: Record<string, Framing> = Object.fromEntries(all.map((t) => [t, fallback]));
  const overrides = r.str('AVRO_FRAMING_BY_TOPIC');
  for (const pair of overrides.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const [topic, value] = pair.split('=').map((s) => s.trim());
    if (!topic || !value || !(FRAMINGS as readonly string[]).includes(value)) {
      r.problems.push(`AVRO_FRAMING_BY_TOPIC: "${pair}" is not topic=${FRAMINGS.join('|')}`);
    } else if (!all.includes(topic)) {
      r.problems.push(`AVRO_FRAMING_BY_TOPIC: "${topic}" is none of the configured topics (${all.join(', ')})`);
    } else {
      out[topic] = value as Framing;
    }
  }
  return out;
}

/** State belongs to one consumer group (as Kafka Streams' `<application.id>-…-changelog`): two deployments never share it. */
function changelogTopic(r: Reader): string {
  return r.str('TOPIC_CHANGELOG') === '' ? `${r.str('KAFKA_GROUP_ID')}-state-changelog` : r.topic('TOPIC_CHANGELOG');
}

export function runConfigFromEnv(env: Env): RunConfig {
  const r = new Reader(env);
  const input = Object.fromEntries(
    EVENT_TYPES.map((t) => [t, r.topic({ call: 'TOPIC_CALLS', message: 'TOPIC_MESSAGES', registration: 'TOPIC_REGISTRATIONS', report: 'TOPIC_REPORTS' }[t])]),
  ) as Record<EventType, string>;
  const topics: Topics = { input, violations: r.topic('TOPIC_VIOLATIONS'), deadLetter: r.topic('TOPIC_DLQ'), changelog: changelogTopic(r) };
  const names = [...Object.values(input), topics.violations, topics.deadLetter, topics.changelog];
  if (new Set(names).size !== names.length) r.problems.push(`TOPIC_*: every topic must be distinct, got ${names.join(', ')}`);

  const config: RunConfig = {
    brokers: brokers(r),
    clientId: r.str('KAFKA_CLIENT_ID'),
    groupId: r.str('KAFKA_GROUP_ID'),
    sessionTimeoutMs: r.int('KAFKA_SESSION_TIMEOUT_MS', 6000, 1_800_000),
    fetchMinBytes: r.int('FETCH_MIN_BYTES', 1, 52_428_800),
    fetchMaxWaitMs: r.int('FETCH_MAX_WAIT_MS', 0, 10_000),
    // Bounded because what a crash or a rebalance redoes grows with it (a transaction is open only while it is sent).
    commitIntervalMs: r.int('COMMIT_INTERVAL_MS', 0, 300_000),
    // At most the once-a-second tick's period: the tick is what commits a partition whose records stopped coming.
    caughtUpCommitIntervalMs: r.int('CAUGHT_UP_COMMIT_INTERVAL_MS', 0, 1_000),
    topics,
    topicPartitions: r.int('TOPIC_PARTITIONS', 1, 1000),
    framing: framing(r, topics),
    schemaRegistryUrl: r.str('SCHEMA_REGISTRY_URL') || undefined,
    policyFile: r.str('POLICY_FILE') || undefined,
    policyReloadMs: r.int('POLICY_RELOAD_MS', 0, 86_400_000),
    metricsPort: r.int('METRICS_PORT', 0, 65535),
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS),
    fromBeginning: r.bool('FROM_BEGINNING'),
    // A partition's stores share one key map (KeyIndex), and V8 caps a Map at 2^24 (16.7 M) keys: four stores of
    // 4 M distinct keys each stay under it, where 100 M would have crashed the process mid-stream.
    maxKeysPerDetector: r.int('STATE_MAX_KEYS', 1, 4_000_000),
    allowedDisorderMs: r.int('ALLOWED_DISORDER_MS', 0, 86_400_000),
    duplicateHorizon: r.int('DUPLICATE_HORIZON', 0, 10_000_000),
    idleTimeoutMs: r.int('IDLE_PARTITION_TIMEOUT_MS', 1000, 86_400_000),
  };
  if (config.schemaRegistryUrl !== undefined && !/^https?:\/\/\S+$/.test(config.schemaRegistryUrl)) {
    r.problems.push(`SCHEMA_REGISTRY_URL: "${config.schemaRegistryUrl}" is not an http(s) URL`);
  }
  const confluentTopics = Object.entries(config.framing).filter(([, f]) => f === 'confluent').map(([t]) => t);
  if (confluentTopics.length > 0 && config.schemaRegistryUrl === undefined) {
    r.problems.push(`SCHEMA_REGISTRY_URL: required because ${confluentTopics.join(', ')} use confluent framing`);
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return Object.freeze(config);
}
