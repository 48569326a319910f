import type { RunConfig } from '../config/run-config';

/** What the commit policy reads of a partition's task (PartitionTask). */
export interface CommitCandidate {
  readonly uncommitted: { readonly violations: readonly unknown[] };
  /** Processing time of the partition's last commit. */
  readonly committedAt: number;
  readonly merge: { backlogged(): boolean };
}

/**
 * The order a fetch's partitions commit in: those with violations to publish
 * first, each group in the order given (the order their batches came in). A
 * violation reaches enforcement when its transaction commits, and the commits
 * of one fetch go one after another; the partitions with nothing but state
 * and offsets to commit can wait a few milliseconds without anyone noticing.
 */
export function violationsFirst<T extends Pick<CommitCandidate, 'uncommitted'>>(tasks: Iterable<T>): T[] {
  const first: T[] = [];
  const then: T[] = [];
  for (const task of tasks) (task.uncommitted.violations.length > 0 ? first : then).push(task);
  return first.concat(then);
}

/**
 * Whether a partition commits what it processed now.
 * - Working through a backlog: every COMMIT_INTERVAL_MS (Kafka Streams' commit.interval.ms). More batches are on
 *   their way, and one commit over many of them writes each changed key once, not once a batch. The changelog is
 *   most of what a commit writes (several hundred bytes per changed key): at 1 s, the end-to-end bench's commits
 *   took three quarters of its time; at 10 s, about a quarter.
 * - Caught up with violations to publish: now, at the end of the fetch. A violation is visible to enforcement only
 *   once its transaction commits, so this is detection latency.
 * - Caught up without: every CAUGHT_UP_COMMIT_INTERVAL_MS. Nothing waits on such a commit (the state is safe in
 *   the changelog a moment later; a crash redoes that moment), and each one costs a transaction of a few round
 *   trips and its changelog records: committing every partition every fetch was six transactions a fetch, most of
 *   `run`'s waiting at 20,000 events/s, and a key changed in several fetches was written once per fetch.
 */
export function commitDue(task: CommitCandidate, now: number, config: Pick<RunConfig, 'commitIntervalMs' | 'caughtUpCommitIntervalMs'>): boolean {
  const since = now - task.committedAt;
  if (task.merge.backlogged()) return since >= config.commitIntervalMs;
  return task.uncommitted.violations.length > 0 || since >= config.caughtUpCommitIntervalMs;
}
