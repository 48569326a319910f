import type { Consumer, EachBatchPayload, Kafka, Message, TopicMessages } from 'kafkajs';
import type { RunConfig } from '../config/run-config';
import type { Pipeline } from '../engine/pipeline';
import { BadRecordError, errorMessage, PartitionRetryError } from '../errors';
import type { Codecs } from '../events/codecs';
import { TelemetryDecoder } from '../events/telemetry-decoder';
import type { Policy } from '../policy/types';
import type { Logger } from '../telemetry/logger';
import type { Metrics } from '../telemetry/metrics';
import { inSpan } from '../telemetry/tracing';
import { changelogMessages } from './changelog-records';
import { coPartitionedAssigner } from './co-partitioned-assigner';
import { commitDue, violationsFirst } from './commit-order';
import { installFetchRounds, roundOf, type FetchRound } from './fetch-rounds';
import { MAX_BUFFERED_PER_TOPIC, nothingUncommitted, PartitionTasks, type PartitionTask, type PendingRecord } from './partition-tasks';
import { deadLetterRecord, violationRecord } from './records';
import { ensureChangelog } from './topic-admin';

/**
 * The Kafka edge of the pipeline, exactly-once: a consumer group over the
 * telemetry topics in; violations, dead letters and state changelog out.
 *
 * Each input partition (the same number on every co-partitioned topic) has
 * its own pipeline and its own transactional producer (`<group>-p<n>`). The
 * violations, dead letters, changelog records and input offsets of what a
 * partition processed since its last commit go in one transaction, so a
 * read_committed consumer of the violations sees each one exactly once
 * whatever instant a process dies at: either the transaction committed
 * (state, offsets and outputs all moved on) or it did not (none did, and the
 * next owner redoes the records from the same state). A partition commits at
 * most once per fetch: the fetch's last batch commits every partition the
 * fetch touched whose commit is due (fetch-rounds.ts, commit-order.ts).
 *
 * kafkajs has no consumer-group fencing (KIP-447) and no revocation hook, so
 * a partition's new owner initialises the same transactional id, which fences
 * the old owner and aborts its open transaction, and then restores the
 * partition from the committed changelog before processing any of its records.
 */
export type Lifecycle = 'starting' | 'running' | 'draining' | 'stopped' | 'failed';

/**
 * A transaction carries at most this many input records, whatever COMMIT_INTERVAL_MS: it bounds what a commit holds
 * in memory (its violations, and a changelog record per key changed) at any input rate.
 */
const MAX_RECORDS_PER_TRANSACTION = 100_000;
/** How often quiet partitions are checked for work left behind. */
const TICK_MS = 1_000;
/**
 * A partition's transactions carry the consumer group's offsets at most this often; the tick commits them on their
 * own once a partition goes quiet with them behind. They are not what a restart resumes from (the changelog's
 * offsets are, written in every transaction), only what lag monitoring and a partition without changelog state
 * read, so a second behind costs nothing. Every transaction that carried them took two more requests
 * (AddOffsetsToTxn, TxnOffsetCommit) of its five, one after another, at a commit per fetch.
 */
const GROUP_OFFSETS_EVERY_MS = 1_000;
/** Tries of a transaction of nothing but the group's offsets that the coordinator finds too soon (commitGroupOffsets). */
const OFFSETS_ATTEMPTS = 5;
/**
 * kafkajs sends a request's records for one partition as one record batch,
 * which the broker refuses above its message.max.bytes (1 MiB by default):
 * a transaction's records go out in requests of about this size.
 */
const MAX_REQUEST_BYTES = 512 * 1024;

function recordBytes(m: Message): number {
  const size = (v: Message['key'] | Message['value']): number => (v === null || v === undefined ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length);
  return size(m.key) + size(m.value) + 64;
}

/** kafkajs's error for CONCURRENT_TRANSACTIONS, as thrown or as the cause of one of its wrappers. */
export function isConcurrentTransactions(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 4; depth++) {
    if ((e as { type?: unknown }).type === 'CONCURRENT_TRANSACTIONS') return true;
    e = (e as { cause?: unknown; originalError?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}

/** Splits records into sendBatch requests of at most about MAX_REQUEST_BYTES each. */
export function requestsOf(topicMessages: readonly TopicMessages[]): TopicMessages[][] {
  const requests: TopicMessages[][] = [];
  let current: TopicMessages[] = [];
  let bytes = 0;
  for (const { topic, messages } of topicMessages) {
    let run: Message[] = [];
    for (const m of messages) {
      const b = recordBytes(m);
      if (bytes + b > MAX_REQUEST_BYTES && bytes > 0) {
        if (run.length > 0) current.push({ topic, messages: run });
        requests.push(current);
        current = [];
        run = [];
        bytes = 0;
      }
      run.push(m);
      bytes += b;
    }
    if (run.length > 0) current.push({ topic, messages: run });
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

export interface DetectorServiceDeps {
  kafka: Kafka;
  config: RunConfig;
  codecs: Codecs;
  /** A fresh pipeline for one input partition: its state, stream clock and timers. */
  createPipeline: (partition: number) => Pipeline;
  logger: Logger;
  metrics?: Metrics;
}

export class DetectorService {
  private lifecycle: Lifecycle = 'starting';
  private joined = false;
  /** Input records this process took from its partitions (events and dead letters), for the log line at stop. */
  private records = 0;
  private readonly consumer: Consumer;
  private readonly decoder: TelemetryDecoder;
  private readonly tasks: PartitionTasks;
  private failureListeners: ((err: Error) => void)[] = [];
  /** Processes and commits what waits in a quiet partition (see tick()). */
  private ticker: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  /** Whether batches are known by fetch (commits once per fetch) or not (commits batch by batch). */
  private readonly rounds: ReturnType<typeof installFetchRounds>;

  constructor(private readonly deps: DetectorServiceDeps) {
    const { kafka, config } = deps;
    this.consumer = kafka.consumer({
      groupId: config.groupId,
      partitionAssigners: [coPartitionedAssigner],
      sessionTimeout: config.sessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, Math.floor(config.sessionTimeoutMs / 5)),
      // Read only committed data: upstream transactional producers' aborted records are not telemetry.
      readUncommitted: false,
      // A fetch returns once it has FETCH_MIN_BYTES or has waited FETCH_MAX_WAIT_MS. Each fetch may cost a
      // transaction per partition it touches (about 1 ms of CPU each; see commitDue): fetches as fast as the broker
      // answers made them tiny and many (at 10,000 records/s, 375 transactions a second, when every fetch committed),
      // larger ones bound that at a few ms of latency.
      minBytes: config.fetchMinBytes,
      maxWaitTimeInMs: config.fetchMaxWaitMs,
    });
    this.decoder = new TelemetryDecoder(deps.codecs, config.topics, config.framing);
    this.tasks = new PartitionTasks({ ...deps, consumer: this.consumer });
    this.rounds = installFetchRounds();
  }

  get state(): Lifecycle {
    return this.lifecycle;
  }

  /** Ready once running, in the group, and every owned partition's state restored. */
  ready(): boolean {
    return this.lifecycle === 'running' && this.joined && !this.tasks.restoring();
  }

  onFailure(listener: (err: Error) => void): void {
    this.failureListeners.push(listener);
  }

  /** A new policy for every partition's pipeline, and for those created later. */
  setPolicy(policy: Policy): void {
    this.tasks.setPolicy(policy);
  }

  async start(): Promise<void> {
    const { config, logger, kafka } = this.deps;
    await ensureChangelog(kafka, config.topics);
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      const owned = new Set(Object.values(payload.memberAssignment).flat().map(Number));
      logger.info('joined consumer group', { group: config.groupId, partitions: [...owned].sort((a, b) => a - b).join(',') });
      // kafkajs has no revocation hook: a rejoin is where partitions that moved away are noticed.
      this.tasks.assign(owned);
    });
    this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      // A fetched batch of nothing but transaction markers or aborted records (an upstream transactional producer)
      // never reaches eachBatch, yet it may be what brings a topic to its end: the merge must not keep waiting for it.
      if (payload.batchSize === 0 && BigInt(payload.lastOffset) + 1n >= BigInt(payload.highWatermark)) {
        this.tasks.peek(payload.partition)?.merge.setCaughtUp(payload.topic, true, Date.now());
      }
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

    await this.consumer.connect();
    await this.consumer.subscribe({ topics: Object.values(config.topics.input), fromBeginning: config.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => inSpan('abuse.batch', { 'messaging.destination.name': payload.batch.topic, 'messaging.kafka.partition': payload.batch.partition }, () => this.handleBatch(payload)),
    });
    this.lifecycle = 'running';
    this.ticker = setInterval(() => {
      this.ticking ??= this.tick().finally(() => (this.ticking = undefined));
    }, TICK_MS);
    logger.info('detector running', { topics: Object.values(config.topics.input).join(','), group: config.groupId, guarantee: 'exactly-once', commits: this.rounds === 'installed' ? 'per fetch' : `per batch (${this.rounds})` });
  }

  /**
   * Drains: stops fetching, lets the batch in hand finish, commits what was processed and not yet committed (a fetch
   * whose last batches were not handed out), then closes the producers.
   */
  async stop(): Promise<void> {
    if (this.lifecycle === 'stopped') return;
    if (this.lifecycle !== 'failed') this.lifecycle = 'draining';
    this.deps.logger.info('draining');
    clearInterval(this.ticker);
    await this.ticking;
    await this.consumer.disconnect();
    // Out of the group now: a partition's new owner may already have fenced this producer, and then the commit fails
    // and changes nothing (the new owner redoes those records), which is as consistent as committing.
    // Due or not: a partition working through a backlog puts its commits off, and nothing comes after this one.
    if (this.lifecycle === 'draining') await this.commitAll(this.tasks.all(), 'final commit failed; the next owner redoes its records', (task) => this.commitPending(task, undefined, true));
    await this.tasks.closeAll();
    if (this.lifecycle === 'draining') this.lifecycle = 'stopped';
    // How many records this process took in its life: with a clean drain every one of them is committed, and the
    // partitions' next owners start right after them.
    this.deps.logger.info('stopped', { records: this.records });
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    const heartbeat = (): Promise<void> => payload.heartbeat();
    const round = roundOf<PartitionTask>(batch);
    const task = await this.tasks.get(partition, heartbeat);
    const started = process.hrtime.bigint();
    // A fresh task seeks every topic of its partition to the offsets its state reflects: this batch is then stale.
    if (payload.isRunning() && !payload.isStale()) {
      try {
        await task.lock.run(async () => {
          await this.buffer(payload, task);
          await this.process(task, round === undefined, heartbeat);
        });
      } catch (err) {
        // The partition is restored from its last commit, which moves the consumer back there: the batch is redone.
        await this.abandon(task, err, 'batch failed; partition will be restored from its changelog and the batch retried', topic);
        throw new PartitionRetryError(partition, errorMessage(err));
      }
      round?.pending.add(task);
    }
    if (round?.handled()) await this.finishRound(round, heartbeat);
    this.deps.metrics?.batchDone(Number(process.hrtime.bigint() - started) / 1e9);
  }

  /**
   * The last batch of a fetch: every partition it processed whose commit is due (commitDue) commits before kafkajs
   * fetches again, those with violations to publish first. A partition whose commit fails is dropped and restored; the others commit all the
   * same.
   *
   * Why violations first: the commits go one after another, each a few round trips and its changelog's encoding,
   * and a violation is visible to enforcement only once its transaction commits. Its wait for the partitions
   * committed before it is the one part of detection latency that costs nothing to remove.
   */
  private async finishRound(round: FetchRound<PartitionTask>, heartbeat: () => Promise<void>): Promise<void> {
    await this.commitAll(violationsFirst(round.pending), 'commit failed; partition will be restored from its changelog and its records redone');
    await heartbeat();
  }

  /**
   * Commits each task that is still its partition's with `commit` (commitIfDue unless said otherwise), one after
   * another: with their transactions in flight together, the latency bench's `run` used up to a fifth more CPU for
   * the same records.
   */
  private async commitAll(tasks: Iterable<PartitionTask>, failure: string, commit = (task: PartitionTask): Promise<void> => this.commitIfDue(task)): Promise<void> {
    for (const task of tasks) {
      try {
        await task.lock.run(async () => {
          if (this.tasks.peek(task.partition) === task) await commit(task);
        });
      } catch (err) {
        await this.abandon(task, err, failure);
      }
    }
  }

  /**
   * Fetched batches drive processing, but a partition can go quiet with work
   * left: records the merge held back for a topic that has since been idle
   * past its limit, or a commit put off while it looked backlogged. Once a
   * second, such a partition is processed and committed under its lock. A
   * failure there drops the partition's state and restores it at once (which
   * moves the consumer back to the last commit).
   */
  private async tick(): Promise<void> {
    if (this.lifecycle !== 'running') return;
    this.tasks.restoreMissing();
    for (const task of this.tasks.all()) {
      if (this.lifecycle !== 'running') return;
      if (task.uncommitted.records === 0 && !task.merge.holding() && !this.offsetsDue(task)) continue;
      // A task dropped meanwhile (its batch failed) is left alone: its successor restores from the changelog.
      const current = (): boolean => this.tasks.peek(task.partition) === task;
      try {
        await task.lock.run(async () => {
          if (!current()) return;
          await this.process(task, true);
          if (this.offsetsDue(task)) await this.commitGroupOffsetsOrWarn(task);
        });
      } catch (err) {
        await this.abandon(task, err, 'idle commit failed; partition will be restored from its changelog');
      }
    }
  }

  /**
   * A transaction of `task` was aborted: its pipeline holds changes no changelog has, so it is dropped, to be
   * restored from the last commit. Only if it is still the partition's task: one dropped already may have a
   * restored successor, which must not go too. Returns whether it dropped it.
   */
  private async abandon(task: PartitionTask, err: unknown, message: string, topic?: string): Promise<boolean> {
    if (this.tasks.peek(task.partition) !== task) return false;
    this.deps.metrics?.transaction('abort');
    this.deps.logger.error(message, { topic, partition: task.partition, error: errorMessage(err) });
    await this.tasks.drop(task.partition);
    // At once, not at its next batch, which may never come (see restoreMissing).
    if (this.lifecycle === 'running') this.tasks.restoreMissing();
    return true;
  }

  /** Decodes the batch into the partition's event-time merge; a topic whose buffer is full stops being fetched. */
  private async buffer(payload: EachBatchPayload, task: PartitionTask): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    await this.decoder.prepare(topic, batch.messages.map((m) => m.value));
    // Records below this are in the state or in the merge already: a consumer that restarts fetches from the committed
    // offset again, and the group's offset can lag the changelog's by one commit race.
    const from = BigInt(task.fetched.get(topic) ?? '-1');
    const items: PendingRecord[] = [];
    const times: number[] = [];
    for (const message of batch.messages) {
      if (BigInt(message.offset) < from) continue;
      try {
        const event = this.decoder.decode(topic, message.value);
        items.push({ message, event });
        times.push(event.eventTime);
      } catch (err) {
        if (!(err instanceof BadRecordError)) throw err;
        items.push({ message, bad: err });
        times.push(Number.NEGATIVE_INFINITY);
      }
    }
    const last = batch.lastOffset();
    if (BigInt(last) + 1n > from) task.fetched.set(topic, (BigInt(last) + 1n).toString());
    const caughtUp = BigInt(last) + 1n >= BigInt(batch.highWatermark);
    task.merge.add(topic, items, times, caughtUp, Date.now());
    // kafkajs fetches on from the resolved offset; what is committed follows what is processed, in the transaction.
    payload.resolveOffset(last);
    this.deps.metrics?.recordsConsumed(topic, batch.messages.length);
    if (task.merge.full(topic)) {
      this.consumer.pause([{ topic, partitions: [partition] }]);
      task.paused.add(topic);
    }
  }

  /**
   * Processes what the merge lets through, committing at least every
   * MAX_RECORDS_PER_TRANSACTION records; with `commit`, then commits if due
   * (commitIfDue). Without it the fetch's last batch does (finishRound).
   */
  private async process(task: PartitionTask, commit: boolean, heartbeat?: () => Promise<void>): Promise<void> {
    const { config, codecs, metrics, logger } = this.deps;
    const { partition } = task;
    const violationFraming = config.framing[config.topics.violations] ?? 'single-object';

    // The wall clock only decides partition idleness, here at the edge; windows run on event time. Read once per
    // drain (set below): a drain takes milliseconds, and idleness is measured in seconds.
    let now = 0;
    const take = (topic: string, item: PendingRecord): void => {
      const pending = task.uncommitted;
      if (item.event) {
        for (const v of task.pipeline.process(item.event, partition, now)) pending.violations.push(violationRecord(codecs.violation, violationFraming, v));
      } else if (item.bad) {
        pending.deadLetters.push(deadLetterRecord({ topic, partition }, item.message, item.bad));
        metrics?.deadLettered(topic, item.bad.code);
        logger.warn('record dead-lettered', { topic, partition, offset: item.message.offset, code: item.bad.code, reason: item.bad.message });
      }
      pending.last.set(topic, item.message.offset);
      pending.records++;
      this.records++;
    };

    for (;;) {
      now = Date.now();
      task.merge.drain(now, take, MAX_RECORDS_PER_TRANSACTION - task.uncommitted.records);
      if (task.uncommitted.records < MAX_RECORDS_PER_TRANSACTION) break;
      await this.commit(task, heartbeat);
    }
    if (commit) await this.commitIfDue(task, heartbeat);
    for (const topic of task.paused) {
      if (task.merge.buffered(topic) > MAX_BUFFERED_PER_TOPIC / 2) continue;
      this.consumer.resume([{ topic, partitions: [partition] }]);
      task.paused.delete(topic);
    }
  }

  /**
   * Commits what the task processed, if due (commitDue). Not due, it stays pending for the partition's next fetch,
   * or for the once-a-second tick if no fetch brings the partition anything more.
   */
  private async commitIfDue(task: PartitionTask, heartbeat?: () => Promise<void>): Promise<void> {
    if (commitDue(task, Date.now(), this.deps.config)) await this.commitPending(task, heartbeat);
  }

  /** Commits what the task processed since its last commit, if anything; with `groupOffsets`, them as well. */
  private async commitPending(task: PartitionTask, heartbeat?: () => Promise<void>, groupOffsets = false): Promise<void> {
    if (task.uncommitted.records > 0) await this.commit(task, heartbeat, groupOffsets);
    else if (groupOffsets && task.offsetsBehind) await this.commitGroupOffsets(task);
  }

  /**
   * Whether a partition's group offsets are behind and it has been quiet for GROUP_OFFSETS_EVERY_MS: a partition
   * still busy carries them in its next commit, and a transaction right after its last one would meet the
   * coordinator still completing that one (below).
   */
  private offsetsDue(task: PartitionTask): boolean {
    const now = Date.now();
    return task.offsetsBehind && task.uncommitted.records === 0 && now - task.committedAt >= GROUP_OFFSETS_EVERY_MS && now - task.offsetsCommittedAt >= GROUP_OFFSETS_EVERY_MS;
  }

  /**
   * A transaction of nothing but the group's offsets. Its first request is AddOffsetsToTxn, which the transaction
   * coordinator refuses with CONCURRENT_TRANSACTIONS while it still completes the partition's previous transaction
   * (a transaction that begins with its records gets past that in kafkajs's produce retries, this one does not):
   * tried again a few times, a little later each time.
   */
  private async commitGroupOffsets(task: PartitionTask): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.commit(task, undefined, true);
      } catch (err) {
        if (!isConcurrentTransactions(err) || attempt >= OFFSETS_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  /**
   * commitGroupOffsets for a quiet partition: a failure is only logged. The state and the changelog's offsets are
   * committed already; the group's offsets stay behind and are tried again at the next tick (a fenced producer is
   * found out by the partition's next commit of records, which drops the partition).
   */
  private async commitGroupOffsetsOrWarn(task: PartitionTask): Promise<void> {
    try {
      await this.commitGroupOffsets(task);
    } catch (err) {
      this.deps.logger.warn('committing the group offsets of a quiet partition failed; tried again at the next tick', { partition: task.partition, error: errorMessage(err) });
    }
  }

  /**
   * One transaction: the task's violations, dead letters and changelog (whose offsets record is where the partition
   * resumes), and the group's offsets when GROUP_OFFSETS_EVERY_MS has passed or `groupOffsets` says so.
   */
  private async commit(task: PartitionTask, heartbeat?: () => Promise<void>, groupOffsets = false): Promise<void> {
    const { config, metrics } = this.deps;
    const { partition } = task;
    const { violations, deadLetters, last } = task.uncommitted;
    for (const [topic, offset] of last) task.next.set(topic, (BigInt(offset) + 1n).toString());
    const withOffsets = groupOffsets || Date.now() - task.offsetsCommittedAt >= GROUP_OFFSETS_EVERY_MS;
    const changelog = task.uncommitted.records > 0 ? changelogMessages((visit) => task.pipeline.drainChanges(visit), task.next, partition) : [];
    const topicMessages: TopicMessages[] = changelog.length > 0 ? [{ topic: config.topics.changelog, messages: changelog }] : [];
    if (violations.length > 0) topicMessages.push({ topic: config.topics.violations, messages: violations });
    if (deadLetters.length > 0) topicMessages.push({ topic: config.topics.deadLetter, messages: deadLetters });
    const txn = await task.producer.transaction();
    try {
      for (const request of requestsOf(topicMessages)) await txn.sendBatch({ topicMessages: request, acks: -1 });
      // Every topic the state has an offset of: the ones this transaction's records moved, and any a commit before
      // it moved while leaving the group's offsets out.
      if (withOffsets) await txn.sendOffsets({ consumerGroupId: config.groupId, topics: [...task.next].map(([topic, offset]) => ({ topic, partitions: [{ partition, offset }] })) });
      await txn.commit();
    } catch (err) {
      await txn.abort().catch(() => undefined);
      throw err;
    }
    metrics?.transaction('commit', changelog.length);
    metrics?.violationsAcked(violations.length);
    task.uncommitted = nothingUncommitted();
    task.committedAt = Date.now();
    if (withOffsets) task.offsetsCommittedAt = task.committedAt;
    task.offsetsBehind = !withOffsets;
    await heartbeat?.();
  }
}
