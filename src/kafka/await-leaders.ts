import { TopicsNotReadyError } from '../errors';

/**
 * Waiting until new topics can be used: every partition has a leader.
 *
 * Why not only kafkajs's `createTopics({ waitForLeaders: true })`: its wait
 * retries a metadata answer of LEADER_NOT_AVAILABLE, but a broker that has
 * not yet heard of a new partition answers UNKNOWN_TOPIC_OR_PARTITION ("This
 * server does not host this topic-partition"), and kafkajs gives up on that
 * (kafkajs issue #815). On a loaded single broker that happens right after
 * creation, so `abuse-detector topics` failed now and then though the topics
 * had been created.
 */

/** What a metadata answer is read for: each partition's leader (-1 or absent while none). */
export interface TopicsMetadata {
  topics: { name: string; partitions: { leader?: number }[] }[];
}

/** Metadata errors that only mean "not yet" right after creation. */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/** True for a kafkajs protocol error that only means the new partitions are not known or led yet. */
export function isNotYet(error: unknown): boolean {
  return typeof error === 'object' && error !== null && NOT_YET.has(String((error as { type?: unknown }).type));
}

export interface AwaitLeadersOptions {
  /** Metadata asks at most; the last failure or the leaderless topics are then reported. */
  attempts: number;
  delayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks `fetch` (the topics' metadata) until every partition of `topics` has a leader. A "not yet" error or a
 * partition without a leader is asked again after `delayMs`; any other error is thrown as it is. Gives up with
 * TopicsNotReadyError after `attempts`.
 */
export async function awaitLeaders(topics: readonly string[], fetch: () => Promise<TopicsMetadata>, options: AwaitLeadersOptions): Promise<void> {
  const sleep = options.sleep ?? wait;
  let waiting: string[] = [...topics];
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      const { topics: meta } = await fetch();
      const led = new Set(meta.filter((t) => t.partitions.length > 0 && t.partitions.every((p) => (p.leader ?? -1) >= 0)).map((t) => t.name));
      waiting = topics.filter((t) => !led.has(t));
      if (waiting.length === 0) return;
    } catch (error) {
      if (!isNotYet(error)) throw error;
    }
    if (attempt < options.attempts) await sleep(options.delayMs);
  }
  throw new TopicsNotReadyError(waiting, options.attempts * options.delayMs);
}
