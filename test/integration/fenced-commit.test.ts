import { startDetector } from '../helpers/detector-process';
import { chunks, stop } from '../helpers/eos-stream';
import { createTopicsFor, isolatedConfig, produce, testKafka, waitForCatchUp } from '../helpers/kafka';

/**
 * A partition whose transaction fails on the last record there is (nothing
 * comes after it) is restored at once and catches up, instead of waiting for
 * a next batch that never comes: the failed batch's offsets were resolved
 * when it was buffered, so kafkajs does not fetch it again by itself; the
 * restore's seek is what brings it back. (The zombie test hung on exactly
 * this when the thawed process's last batch was the one that failed.)
 *
 * The failure is made the way a zombie's is: another producer initialises the
 * partitions' transactional ids, which fences `run`'s producers while it is
 * idle, and then one record arrives.
 */
jest.setTimeout(120_000);

async function fence(groupId: string, partitions: number): Promise<void> {
  const kafka = testKafka();
  for (let p = 0; p < partitions; p++) {
    const producer = kafka.producer({ transactionalId: `${groupId}-p${p}`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    // kafkajs initialises the transactional id on the first transaction(): that bumps the epoch and fences `run`'s.
    await (await producer.transaction()).abort();
    await producer.disconnect();
  }
}

describe('a transaction that fails on the last record there is', () => {
  it('has its partition restored and the record redone without any record after it', async () => {
    const config = isolatedConfig({ KAFKA_SESSION_TIMEOUT_MS: '6000' });
    await createTopicsFor(config);
    const stream = chunks(250);
    const last = stream[stream.length - 1];
    const lastRecord = last?.messages[last.messages.length - 1];
    if (!last || !lastRecord) throw new Error('the test stream is empty');
    for (const c of stream.slice(0, 4)) await produce(c.topic(config), c.messages);
    const detector = await startDetector(config, { KAFKA_SESSION_TIMEOUT_MS: '6000' });
    try {
      const inputs = Object.values(config.topics.input);
      await waitForCatchUp(config.groupId, inputs, 60_000);
      await fence(config.groupId, config.topicPartitions);
      await produce(last.topic(config), [lastRecord]);
      await waitForCatchUp(config.groupId, inputs, 60_000);
      // It was the failure path that brought it there: a transaction aborted, and a partition restored a second time.
      // (The fetch's last batch commits its partitions: "commit failed"; batch by batch it was "batch failed".)
      expect(detector.logs()).toMatch(/"msg":"(commit|batch) failed; partition will be restored from its changelog/);
      const restores = [...detector.logs().matchAll(/"msg":"partition restored","partition":(\d+)/g)].map((m) => m[1]);
      expect(restores.length).toBeGreaterThan(config.topicPartitions);
    } finally {
      await stop(detector);
    }
  });
});
