import { kafkajsInternals, type VersionMismatch } from './kafkajs-internals';

/**
 * Which fetch a batch came in with, so that `run` commits once per fetch
 * instead of once per batch.
 *
 * kafkajs fetches from a broker, hands every non-empty batch of the response
 * to eachBatch one after another, and fetches again only once all are done.
 * Committing each batch's transaction in its own eachBatch made the batches
 * of a fetch wait for each other's transactions: with six partitions of two
 * topics, twelve transactions a fetch, each a few milliseconds of round trips.
 * That fixed cost per fetch is what a record waits for before its own fetch
 * starts, and near saturation it is amplified: the longer a fetch's work,
 * the more records the next fetch brings. Knowing a batch's fetch, eachBatch
 * processes each batch at once and, in the fetch's last batch, commits every
 * partition the fetch touched whose commit is due (commit-order.ts;
 * docs/performance.md, "One commit per fetch").
 *
 * A round whose last batch never reaches eachBatch (the consumer stopped, a
 * batch failed, or with several brokers a batch kafkajs dropped because
 * another broker's fetch has its partition) does not finish: its partitions
 * commit at `run`'s once-a-second tick instead.
 *
 * kafkajs does not say which fetch a batch belongs to, nor how many batches
 * a fetch hands out, so its Runner's `fetch` is wrapped to note both. The
 * wrapper changes nothing kafkajs does; without it (another kafkajs version),
 * roundOf() finds nothing and `run` commits batch by batch as before.
 */
/** The batches of one fetch that reach eachBatch, counted down as each is handled. */
export class FetchRound<T> {
  private left: number;
  /** Whatever the handlers of this round's batches left to finish at its end (for `run`, partition tasks). */
  readonly pending = new Set<T>();

  constructor(batches: number) {
    this.left = batches;
  }

  /** Counts one of the round's batches as handled; true for the last one, whose handler finishes the round. */
  handled(): boolean {
    this.left--;
    return this.left === 0;
  }
}

/** What the wrapper needs of a kafkajs Batch. */
export interface BatchLike {
  isEmpty(): boolean;
  isEmptyDueToFiltering(): boolean;
}

const rounds = new WeakMap<object, FetchRound<unknown>>();

/** Notes a fetch's batches: those that reach eachBatch (kafkajs skips the empty ones) share one round. */
export function noteFetch(batches: readonly BatchLike[]): void {
  const handed = batches.filter((b) => !b.isEmpty() && !b.isEmptyDueToFiltering());
  if (handed.length === 0) return;
  const round = new FetchRound<unknown>(handed.length);
  for (const b of handed) rounds.set(b, round);
}

/** The round of a batch handed to eachBatch, if the wrapper is installed. */
export function roundOf<T>(batch: object): FetchRound<T> | undefined {
  return rounds.get(batch) as FetchRound<T> | undefined;
}

export type RoundsOutcome = 'installed' | VersionMismatch;

interface RunnerClass {
  prototype: { fetch: (this: unknown, nodeId: number) => Promise<BatchLike[]> };
}

let outcome: RoundsOutcome | undefined;

/**
 * Wraps kafkajs's Runner.fetch once per process. A prototype method is
 * looked up at each call, so consumers made before this still go through it.
 */
export function installFetchRounds(): RoundsOutcome {
  outcome ??= install();
  return outcome;
}

function install(): RoundsOutcome {
  const load = kafkajsInternals();
  if (typeof load === 'string') return load;
  const Runner = load('kafkajs/src/consumer/runner') as RunnerClass;
  const original = Runner.prototype.fetch;
  Runner.prototype.fetch = async function fetch(this: unknown, nodeId: number): Promise<BatchLike[]> {
    const batches = await original.call(this, nodeId);
    noteFetch(batches);
    return batches;
  };
  return 'installed';
}
