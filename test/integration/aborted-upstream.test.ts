import { startDetector, type DetectorProcess } from '../helpers/detector-process';
import { stop } from '../helpers/eos-stream';
import { callEvent, messageBurst, T0 } from '../helpers/events';
import { createTopicsFor, isolatedConfig, produce, testKafka, waitForCatchUp } from '../helpers/kafka';
import { projectCodecs } from '../helpers/schemas';

/**
 * An upstream producer that writes telemetry in transactions and aborts one:
 * the message topic then ends in records a read_committed consumer never
 * sees and a marker that never reaches eachBatch. The event-time merge must
 * still learn that the topic is read to its end, instead of holding the call
 * topic back for its 30 s idle limit.
 */
jest.setTimeout(150_000);

it('does not hold other topics back behind an aborted upstream transaction', async () => {
  const codecs = projectCodecs();
  const config = isolatedConfig();
  await createTopicsFor(config);
  const producer = testKafka().producer({ transactionalId: `${config.groupId}-upstream`, maxInFlightRequests: 1, idempotent: true });
  await producer.connect();
  try {
    const txn = await producer.transaction();
    const spam = messageBurst('acct-upstream', 50, T0, 60_000);
    await txn.send({ topic: config.topics.input.message, messages: spam.map((e) => ({ key: e.accountId, value: codecs.events.message.encode(e, 'single-object') })) });
    await txn.abort();
  } finally {
    await producer.disconnect();
  }
  const calls = Array.from({ length: 8 }, (_, i) => callEvent('acct-upstream', T0 + i * 60_000));
  await produce(config.topics.input.call, calls.map((e) => ({ key: e.accountId, value: codecs.events.call.encode(e, 'single-object') })));

  let detector: DetectorProcess | undefined;
  try {
    detector = await startDetector(config);
    // Well inside the 30 s a blocked topic may hold the others: the aborted tail was recognised as the end.
    await expect(waitForCatchUp(config.groupId, [config.topics.input.call], 20_000)).resolves.toBeUndefined();
  } finally {
    if (detector) await stop(detector);
  }
});

it('processes what a topic left open by an upstream transaction held back, once it has been idle 30 s, with no more traffic', async () => {
  const codecs = projectCodecs();
  const config = isolatedConfig();
  await createTopicsFor(config);
  // Left open: the message topic's end stays out of a read_committed consumer's reach until the transaction times out.
  const producer = testKafka().producer({ transactionalId: `${config.groupId}-upstream`, maxInFlightRequests: 1, idempotent: true, transactionTimeout: 180_000 });
  await producer.connect();
  const encoded = messageBurst('acct-open', 20, T0, 60_000).map((e) => ({ key: e.accountId, value: codecs.events.message.encode(e, 'single-object') }));
  // Ten committed, then ten in a transaction left open: the consumer gets the first ten and learns the topic goes on.
  const first = await producer.transaction();
  await first.send({ topic: config.topics.input.message, messages: encoded.slice(0, 10) });
  await first.commit();
  const txn = await producer.transaction();
  await txn.send({ topic: config.topics.input.message, messages: encoded.slice(10) });
  const calls = Array.from({ length: 8 }, (_, i) => callEvent('acct-open', T0 + i * 60_000));
  await produce(config.topics.input.call, calls.map((e) => ({ key: e.accountId, value: codecs.events.call.encode(e, 'single-object') })));

  let detector: DetectorProcess | undefined;
  try {
    detector = await startDetector(config);
    // Nothing else arrives: only the idle tick can let the calls through (after the merge's 30 s) and commit them.
    await expect(waitForCatchUp(config.groupId, [config.topics.input.call], 75_000)).resolves.toBeUndefined();
  } finally {
    await txn.abort();
    await producer.disconnect();
    if (detector) await stop(detector);
  }
});
