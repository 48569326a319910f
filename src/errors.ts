/**
 * Typed errors from a closed list of codes. Each says whether retrying can
 * help, so callers never retry a programmer or data error, and carries a hint
 * that tells the operator what to do next.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'POLICY_INVALID'
  | 'EVENT_INVALID'
  | 'DECODE_FAILED'
  | 'SCHEMA_UNKNOWN'
  | 'REGISTRY_UNAVAILABLE'
  | 'STATE_UNREADABLE'
  | 'TOPIC_MISMATCH'
  | 'TOPICS_NOT_READY'
  | 'PARTITION_RETRY'
  | 'GROUP_ACTIVE'
  | 'USAGE';

const RETRIABLE: ReadonlySet<ErrorCode> = new Set(['REGISTRY_UNAVAILABLE', 'PARTITION_RETRY']);

export class DetectorError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DetectorError';
    this.code = code;
    this.hint = hint;
  }

  get retriable(): boolean {
    return RETRIABLE.has(this.code);
  }
}

/** One or more settings are wrong; the message lists every one by name. */
export class ConfigError extends DetectorError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[], hint = 'fix the named settings and start again') {
    super('CONFIG_INVALID', `invalid configuration:\n  - ${problems.join('\n  - ')}`, hint);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** The policy file is wrong; each problem names the key path. */
export class PolicyError extends DetectorError {
  readonly problems: readonly string[];
  constructor(source: string, problems: readonly string[]) {
    super(
      'POLICY_INVALID',
      `invalid policy ${source}:\n  - ${problems.join('\n  - ')}`,
      'correct the named keys; every key is documented in docs/policy.md',
    );
    this.name = 'PolicyError';
    this.problems = problems;
  }
}

/**
 * A record that can never succeed: it goes to the dead-letter topic with this
 * reason. The reason never echoes field values, which may be phone numbers
 * or message text.
 */
export class BadRecordError extends DetectorError {
  constructor(code: 'EVENT_INVALID' | 'DECODE_FAILED' | 'SCHEMA_UNKNOWN', message: string, options?: { cause?: unknown }) {
    super(code, message, 'the record was dead-lettered; fix the producer that wrote it', options);
    this.name = 'BadRecordError';
  }
}

/** The state changelog holds a record this build cannot read: restoring would misread state. */
export class ChangelogError extends DetectorError {
  constructor(message: string) {
    super(
      'STATE_UNREADABLE',
      message,
      'run the build that wrote the changelog, or start from empty state: stop every process and run `abuse-detector reset-state` (it deletes the changelog topic and the consumer group), or use a new KAFKA_GROUP_ID',
    );
    this.name = 'ChangelogError';
  }
}

/** Topics exist but do not fit together (partition counts), so state could not follow its partition. */
export class TopicMismatchError extends DetectorError {
  constructor(message: string) {
    super('TOPIC_MISMATCH', message, 'give the changelog topic as many partitions as each input topic (`abuse-detector topics` creates it so), or name another with TOPIC_CHANGELOG');
    this.name = 'TopicMismatchError';
  }
}

/** Topics were created but their partitions still had no leader when start-up stopped waiting. */
export class TopicsNotReadyError extends DetectorError {
  constructor(topics: readonly string[], waitedMs: number) {
    super('TOPICS_NOT_READY', `topic(s) ${topics.join(', ')} still had partitions without a leader after ${waitedMs} ms`, 'the broker is slow to elect leaders for new partitions: check its log, then run the command again (creating is idempotent)');
    this.name = 'TopicsNotReadyError';
  }
}

/** Processes of the group are running: their state cannot be deleted under them. */
export class GroupActiveError extends DetectorError {
  constructor(groupId: string, members: number) {
    super('GROUP_ACTIVE', `consumer group ${groupId} has ${members} running member(s)`, 'stop every `run` of the group first (SIGTERM), then reset');
    this.name = 'GroupActiveError';
  }
}

/**
 * A partition's batch failed and its transaction was aborted; its state was
 * dropped and will be restored from the changelog. Retriable on purpose, and
 * without a `cause`: kafkajs restarts a consumer only when the original cause
 * of the error is retriable, and a fenced producer's error is not.
 */
export class PartitionRetryError extends DetectorError {
  constructor(partition: number, reason: string) {
    super('PARTITION_RETRY', `partition ${partition}: batch aborted (${reason})`, 'nothing to do: the partition is restored from its changelog and the batch retried');
    this.name = 'PartitionRetryError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
