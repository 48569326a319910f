import { Partitioners, type Consumer, type Kafka, type Producer } from 'kafkajs';
import type { RunConfig } from '../config/run-config';
import type { Pipeline } from '../engine/pipeline';
import { errorMessage } from '../errors';
import type { Policy } from '../policy/types';
import type { Logger } from '../telemetry/logger';
import type { Metrics } from '../telemetry/metrics';
import { restoreChangelog } from './changelog-restorer';
import { Mutex } from './mutex';
import { startPositions } from './start-positions';
import { TimeMerge } from '../engine/time-merge';
import type { KafkaMessage, Message } from 'kafkajs';
import type { BadRecordError } from '../errors';
import type { TelemetryEvent } from '../events/types';

/** A fetched record waiting for its turn in event-time order: decoded, or why it could not be. */
export interface PendingRecord {
  message: KafkaMessage;
  event?: TelemetryEvent;
  bad?: BadRecordError;
}

/** Records an input topic may buffer before it stops being fetched (resumed at half). */
export const MAX_BUFFERED_PER_TOPIC = 20_000;
/**
 * An input topic with nothing buffered that is not known to be caught up holds the others back at most this long.
 * Long on purpose: such a topic is fetched in the same round as the others, but a round that processes every
 * partition's backlog can take seconds, and letting the others run ahead makes its records late. The limit only
 * matters when a topic's end cannot be reached (an upstream transaction left open).
 */
const MERGE_IDLE_MS = 30_000;

/** Processed but not yet committed: what the partition's next transaction carries. */
export interface Uncommitted {
  violations: Message[];
  deadLetters: Message[];
  /**
   * Offset of the last record processed, per topic. The commit works out the next offset from it: a BigInt sum and
   * a string per record was a measurable share of a catch-up's time and garbage.
   */
  last: Map<string, string>;
  records: number;
}

export function nothingUncommitted(): Uncommitted {
  return { violations: [], deadLetters: [], last: new Map(), records: 0 };
}

/** What one owned input partition needs: its state, its transactional producer, and where its state stands. */
export interface PartitionTask {
  partition: number;
  producer: Producer;
  pipeline: Pipeline;
  /** Next input offset per topic that the pipeline's state reflects (what the last transaction committed). */
  next: Map<string, string>;
  /** Fetched records of every input topic of the partition, processed in event-time order. */
  merge: TimeMerge<PendingRecord>;
  /** Input topics of the partition not fetched until their buffer drains. */
  paused: Set<string>;
  /** Next offset per topic not yet in the merge: a record below it is buffered or processed, so a refetch skips it. */
  fetched: Map<string, string>;
  uncommitted: Uncommitted;
  /** Processing time of the last commit. */
  committedAt: number;
  /** Processing time of the last commit that also committed the group's offsets (see DetectorService.commit). */
  offsetsCommittedAt: number;
  /** Whether a commit since then left the group's offsets out: they are behind the changelog's. */
  offsetsBehind: boolean;
  /** Held by whoever processes the partition: a fetched batch, or the idle tick. */
  lock: Mutex;
}

export interface PartitionTasksDeps {
  kafka: Kafka;
  consumer: Consumer;
  config: RunConfig;
  createPipeline: (partition: number) => Pipeline;
  logger: Logger;
  metrics?: Metrics;
}

/**
 * The partitions this process owns, each becoming a task in three steps:
 * 1. its transactional producer initialises (`<group>-p<n>`), which fences a
 *    previous owner, zombie or alive, and aborts its open transaction (a test
 *    freezes a process past its session and thaws it to prove it);
 * 2. its changelog partition is read to the end and folded into a fresh pipeline;
 * 3. the consumer is moved to the input offsets that state reflects
 *    (start-positions.ts).
 * Until then, get() waits (heartbeating, so the group keeps this member) and
 * the service reports not ready. Partitions assigned together restore together.
 */
export class PartitionTasks {
  private readonly tasks = new Map<number, PartitionTask>();
  private readonly pending = new Map<number, Promise<PartitionTask>>();
  /** What the group last gave this process. */
  private owned: ReadonlySet<number> = new Set();
  private heartbeat: (() => Promise<void>) | undefined;

  constructor(private readonly deps: PartitionTasksDeps) {}

  restoring(): boolean {
    return this.pending.size > 0;
  }

  /** The group gave this process `owned`: start restoring new partitions, close the ones that left. */
  assign(owned: ReadonlySet<number>): void {
    this.owned = owned;
    for (const p of new Set([...this.tasks.keys(), ...this.pending.keys()])) {
      if (!owned.has(p)) void this.release(p);
    }
    const fresh = [...owned].filter((p) => !this.tasks.has(p) && !this.pending.has(p));
    if (fresh.length > 0) this.start(fresh);
  }

  /** The task of `partition`, once restored; `heartbeat` keeps the consumer in its group meanwhile. */
  async get(partition: number, heartbeat: () => Promise<void>): Promise<PartitionTask> {
    this.heartbeat = heartbeat;
    const task = this.tasks.get(partition);
    if (task) return task;
    if (!this.pending.has(partition)) this.start([partition]);
    return this.pending.get(partition) as Promise<PartitionTask>;
  }

  /**
   * Starts restoring every owned partition that has neither a task nor a restore under way: one dropped after a
   * failure, or whose restore failed. Its next batch would do it too, but a partition whose last records were in the
   * failed batch gets none: its offsets were resolved when the batch was buffered, and the restore's seek is what
   * moves the consumer back to the last commit.
   */
  restoreMissing(): void {
    const missing = [...this.owned].filter((p) => !this.tasks.has(p) && !this.pending.has(p));
    if (missing.length > 0) this.start(missing);
  }

  /** Every restored task. */
  all(): PartitionTask[] {
    return [...this.tasks.values()];
  }

  /** The restored task of `partition`, if there is one now. */
  peek(partition: number): PartitionTask | undefined {
    return this.tasks.get(partition);
  }

  setPolicy(policy: Policy): void {
    for (const task of this.tasks.values()) task.pipeline.setPolicy(policy);
  }

  /** Forgets a partition's state (after a failed transaction): the next get() restores it from the changelog. */
  async drop(partition: number): Promise<void> {
    const task = this.tasks.get(partition);
    this.tasks.delete(partition);
    this.deps.metrics?.releasePartition(partition);
    await task?.producer.disconnect().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
    await Promise.all([...this.tasks.keys()].map((p) => this.drop(p)));
  }

  private async release(partition: number): Promise<void> {
    await this.pending.get(partition)?.catch(() => undefined);
    await this.drop(partition);
    this.deps.logger.info('partition released', { partition });
  }

  private start(partitions: number[]): void {
    const { metrics, logger } = this.deps;
    const started = Date.now();
    metrics?.restoreStarted(partitions.length);
    const job = this.restore(partitions);
    for (const p of partitions) {
      const task = job.then((tasks) => tasks.get(p) as PartitionTask);
      // A failed restore surfaces in get(); this catch only keeps it from being unhandled meanwhile.
      task.catch(() => undefined);
      this.pending.set(p, task);
    }
    job.then(
      (tasks) => {
        for (const [p, task] of tasks) this.tasks.set(p, task);
        for (const p of partitions) this.pending.delete(p);
        metrics?.restoreFinished(partitions.length, (Date.now() - started) / 1000);
      },
      (err: unknown) => {
        for (const p of partitions) this.pending.delete(p);
        metrics?.restoreFinished(partitions.length, (Date.now() - started) / 1000);
        logger.error('restoring partitions failed; they are retried within a second', { partitions: partitions.join(','), error: errorMessage(err) });
      },
    );
  }

  private async restore(partitions: number[]): Promise<Map<number, PartitionTask>> {
    const { kafka, config, consumer, createPipeline, logger, metrics } = this.deps;
    const started = Date.now();
    const producers = new Map<number, Producer>();
    try {
      await Promise.all(
        partitions.map(async (p) => {
          const producer = kafka.producer({
            transactionalId: `${config.groupId}-p${p}`,
            idempotent: true,
            maxInFlightRequests: 1,
            transactionTimeout: 60_000,
            // An idempotent producer must not give up on a send it may have delivered (kafkajs warns otherwise);
            // a broker outage then stalls the partition, which is what exactly-once needs, instead of failing it.
            retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5_000 },
            createPartitioner: Partitioners.DefaultPartitioner,
          });
          producers.set(p, producer);
          await producer.connect();
          // kafkajs initialises the transactional id lazily, on the first transaction(), not on connect().
          // Do it now, before reading the changelog: that is what fences the previous owner and aborts (or
          // lets finish) its open transaction, so the end of the changelog cannot move under the restore.
          // An empty transaction's abort sends nothing.
          await (await producer.transaction()).abort();
        }),
      );
      const restored = await restoreChangelog(kafka, config.topics.changelog, partitions, {
        groupId: config.groupId,
        // A failed heartbeat means a rebalance: the restore goes on, and the next batch's heartbeat rejoins.
        keepAlive: () => this.heartbeat?.().catch(() => undefined) ?? Promise.resolve(),
      });
      const inputs = Object.values(config.topics.input);
      const starts = await startPositions(kafka, config.groupId, inputs, config.fromBeginning, new Map([...restored].map(([p, r]) => [p, r.offsets])));
      const tasks = new Map<number, PartitionTask>();
      for (const p of partitions) {
        const r = restored.get(p);
        const producer = producers.get(p);
        if (!r || !producer) throw new Error(`partition ${p} was not restored`);
        const pipeline = createPipeline(p);
        const report = pipeline.restoreState(r.state, p);
        for (const [topic, offset] of starts.offsets.get(p) ?? []) consumer.seek({ topic, partition: p, offset });
        // A task dropped after a failure may have left topics paused: its buffers went with it.
        consumer.resume(inputs.map((topic) => ({ topic, partitions: [p] })));
        const now = Date.now();
        const merge = new TimeMerge<PendingRecord>(inputs, { maxBuffered: MAX_BUFFERED_PER_TOPIC, idleMs: MERGE_IDLE_MS }, now);
        for (const topic of starts.caughtUp.get(p) ?? []) merge.setCaughtUp(topic, true, now);
        tasks.set(p, { partition: p, producer, pipeline, next: r.offsets, merge, paused: new Set(), fetched: new Map(r.offsets), uncommitted: nothingUncommitted(), committedAt: now, offsetsCommittedAt: now, offsetsBehind: false, lock: new Mutex() });
        metrics?.partitionRestored(r.records, report.dropped);
        logger.info('partition restored', { partition: p, records: r.records, keys: report.keys, dropped: report.dropped, ms: Date.now() - started });
      }
      return tasks;
    } catch (err) {
      await Promise.all([...producers.values()].map((pr) => pr.disconnect().catch(() => undefined)));
      throw err;
    }
  }
}
