import { Partitioners, type Consumer, type EachBatchPayload, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import type { RunConfig } from '../config/run-config';
import type { Pipeline } from '../engine/pipeline';
import { BadRecordError } from '../errors';
import type { Codecs } from '../events/codecs';
import { TelemetryDecoder } from '../events/telemetry-decoder';
import type { Logger } from '../telemetry/logger';
import type { Metrics } from '../telemetry/metrics';
import { inSpan } from '../telemetry/tracing';
import { coPartitionedAssigner } from './co-partitioned-assigner';
import { deadLetterRecord, violationRecord } from './records';

/**
 * The Kafka edge of the pipeline: a consumer group over the telemetry topics
 * in, violations and dead letters out. Outputs are acknowledged by the broker
 * (acks=all, idempotent producer) before the input offsets are committed, so
 * a crash replays input rather than losing a violation (at-least-once; the
 * deterministic violationId lets consumers de-duplicate).
 */
export type Lifecycle = 'starting' | 'running' | 'draining' | 'stopped' | 'failed';

/** Outputs are flushed and offsets committed at least this often within a batch. */
const FLUSH_EVERY_RECORDS = 2000;

export interface DetectorServiceDeps {
  kafka: Kafka;
  config: RunConfig;
  codecs: Codecs;
  pipeline: Pipeline;
  logger: Logger;
  metrics?: Metrics;
}

export class DetectorService {
  private lifecycle: Lifecycle = 'starting';
  private joined = false;
  /** Partition numbers this member owns (the same for every co-partitioned topic). */
  private owned = new Set<number>();
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly decoder: TelemetryDecoder;
  private failureListeners: ((err: Error) => void)[] = [];

  constructor(private readonly deps: DetectorServiceDeps) {
    const { kafka, config } = deps;
    this.consumer = kafka.consumer({
      groupId: config.groupId,
      partitionAssigners: [coPartitionedAssigner],
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // Read only committed data: upstream transactional producers' aborted records are not telemetry.
      readUncommitted: false,
    });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    this.decoder = new TelemetryDecoder(deps.codecs, config.topics, config.framing);
  }

  get state(): Lifecycle {
    return this.lifecycle;
  }

  /** Ready once running and a member of the group with its partitions assigned. */
  ready(): boolean {
    return this.lifecycle === 'running' && this.joined;
  }

  onFailure(listener: (err: Error) => void): void {
    this.failureListeners.push(listener);
  }

  async start(): Promise<void> {
    const { config, logger } = this.deps;
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      const owned = new Set(Object.values(payload.memberAssignment).flat().map(Number));
      // kafkajs has no revocation hook; a rejoin is where a partition that moved away is noticed.
      for (const p of this.owned) if (!owned.has(p)) this.deps.pipeline.releasePartition(p);
      this.owned = owned;
      logger.info('joined consumer group', { group: config.groupId, partitions: [...owned].sort((a, b) => a - b).join(',') });
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) {
        logger.warn('consumer crashed; kafkajs restarts it', { error: payload.error.message });
        return;
      }
      this.lifecycle = 'failed';
      logger.error('consumer failed and will not restart', { error: payload.error.message });
      for (const l of this.failureListeners) l(payload.error);
    });

    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: Object.values(config.topics.input), fromBeginning: config.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => inSpan('abuse.batch', { 'messaging.destination.name': payload.batch.topic, 'messaging.kafka.partition': payload.batch.partition }, () => this.handleBatch(payload)),
    });
    this.lifecycle = 'running';
    logger.info('detector running', { topics: Object.values(config.topics.input).join(','), group: config.groupId });
  }

  /** Drains: stops fetching, lets the batch in hand finish and commit, then closes the producer. */
  async stop(): Promise<void> {
    if (this.lifecycle === 'stopped') return;
    if (this.lifecycle !== 'failed') this.lifecycle = 'draining';
    this.deps.logger.info('draining');
    await this.consumer.disconnect();
    await this.producer.disconnect();
    if (this.lifecycle === 'draining') this.lifecycle = 'stopped';
    this.deps.logger.info('stopped');
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { config, codecs, pipeline, metrics, logger } = this.deps;
    const { topic, partition } = batch;
    const started = process.hrtime.bigint();
    const violationFraming = config.framing[config.topics.violations] ?? 'single-object';
    await this.decoder.prepare(topic, batch.messages.map((m) => m.value));

    let violations: Message[] = [];
    let deadLetters: Message[] = [];
    let lastOffset: string | undefined;
    const flush = async (): Promise<void> => {
      const topicMessages: TopicMessages[] = [];
      if (violations.length > 0) topicMessages.push({ topic: config.topics.violations, messages: violations });
      if (deadLetters.length > 0) topicMessages.push({ topic: config.topics.deadLetter, messages: deadLetters });
      if (topicMessages.length > 0) await this.producer.sendBatch({ topicMessages, acks: -1 });
      metrics?.violationsAcked(violations.length);
      violations = [];
      deadLetters = [];
      if (lastOffset !== undefined) {
        payload.resolveOffset(lastOffset);
        await this.consumer.commitOffsets([{ topic, partition, offset: (BigInt(lastOffset) + 1n).toString() }]);
      }
      await payload.heartbeat();
    };

    let sinceFlush = 0;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      try {
        const event = this.decoder.decode(topic, message.value);
        // The wall clock only decides partition idleness, here at the edge; windows run on event time.
        for (const v of pipeline.process(event, partition, Date.now())) violations.push(violationRecord(codecs.violation, violationFraming, v));
      } catch (err) {
        if (!(err instanceof BadRecordError)) throw err;
        deadLetters.push(deadLetterRecord({ topic, partition }, message, err));
        metrics?.deadLettered(topic, err.code);
        logger.warn('record dead-lettered', { topic, partition, offset: message.offset, code: err.code, reason: err.message });
      }
      lastOffset = message.offset;
      if (++sinceFlush >= FLUSH_EVERY_RECORDS) {
        await flush();
        sinceFlush = 0;
      }
    }
    await flush();
    metrics?.recordsConsumed(topic, batch.messages.length);
    metrics?.batchDone(Number(process.hrtime.bigint() - started) / 1e9);
  }
}
