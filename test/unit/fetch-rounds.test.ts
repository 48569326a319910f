import { createRequire } from 'node:module';
import { FetchRound, installFetchRounds, noteFetch, roundOf, type BatchLike } from '../../src/kafka/fetch-rounds';

/** A batch as kafkajs hands it out: with records, empty, or empty because every record was filtered (control, aborted). */
const batch = (records: number, filtered = 0): BatchLike => ({ isEmpty: () => records === 0, isEmptyDueToFiltering: () => records === 0 && filtered > 0 });

describe('fetch rounds', () => {
  it('puts the batches of one fetch that reach eachBatch in one round, and finishes it on the last', () => {
    const a = batch(3);
    const b = batch(1);
    const empty = batch(0);
    const filtered = batch(0, 2);
    const c = batch(5);
    noteFetch([a, b, empty, filtered, c]);
    const round = roundOf<string>(a);
    expect(round).toBeInstanceOf(FetchRound);
    expect(roundOf(b)).toBe(round);
    expect(roundOf(c)).toBe(round);
    // kafkajs never hands these to eachBatch: counting them would leave the round unfinished.
    expect(roundOf(empty)).toBeUndefined();
    expect(roundOf(filtered)).toBeUndefined();
    expect(round?.handled()).toBe(false);
    expect(round?.handled()).toBe(false);
    expect(round?.handled()).toBe(true);
  });

  it('gives each fetch a round of its own', () => {
    const first = batch(1);
    const second = batch(1);
    noteFetch([first]);
    noteFetch([second]);
    expect(roundOf(first)).not.toBe(roundOf(second));
    expect(roundOf(first)?.handled()).toBe(true);
  });

  it("notes the batches that kafkajs's own Runner.fetch returns", async () => {
    expect(installFetchRounds()).toBe('installed');
    // Installing twice wraps once: a second wrapper would make a second round for the same batches.
    expect(installFetchRounds()).toBe('installed');
    const Runner = createRequire(__filename)('kafkajs/src/consumer/runner') as { prototype: { fetch: (this: unknown, nodeId: number) => Promise<BatchLike[]> } };
    const full = batch(2);
    const empty = batch(0);
    const last = batch(4);
    const batches = [full, empty, last];
    const emitted: string[] = [];
    // What Runner.fetch reads of its runner: running, the consumer group's fetch, the instrumentation emitter.
    const runner = {
      running: true,
      consumerGroup: { fetch: (nodeId: number) => Promise.resolve(nodeId === 7 ? batches : []) },
      instrumentationEmitter: { emit: (name: string) => void emitted.push(name) },
      heartbeat: () => Promise.resolve(),
    };
    const fetched = await Runner.prototype.fetch.call(runner, 7);
    expect(fetched).toBe(batches);
    expect(emitted).toEqual(['consumer.fetch_start', 'consumer.fetch']);
    const round = roundOf(full);
    expect(round).toBeDefined();
    expect(roundOf(last)).toBe(round);
    expect(roundOf(empty)).toBeUndefined();
    expect(round?.handled()).toBe(false);
    expect(round?.handled()).toBe(true);
  });
});
