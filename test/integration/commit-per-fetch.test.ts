import { Partitioners, type Message } from 'kafkajs';
import { buildPipeline } from '../../src/app/build-pipeline';
import type { RunConfig } from '../../src/config/run-config';
import { defaultRules } from '../../src/detectors';
import { DetectorService } from '../../src/kafka/detector-service';
import { compilePolicy } from '../../src/policy/compile';
import { SILENT_LOGGER } from '../../src/telemetry/logger';
import { Metrics } from '../../src/telemetry/metrics';
import { callEvent, messageEvent, T0 } from '../helpers/events';
import { createTopicsFor, isolatedConfig, testKafka, waitForCatchUp } from '../helpers/kafka';
import { projectCodecs } from '../helpers/schemas';

/**
 * `run` commits once per partition and fetch, not once per fetched batch
 * (src/kafka/fetch-rounds.ts): live traffic on two co-partitioned topics
 * brings a batch of each topic per partition in most fetches, and both go in
 * one transaction. Batch by batch, each would commit its own. And a
 * partition with nothing to publish commits only every
 * CAUGHT_UP_COMMIT_INTERVAL_MS; what it holds when its records stop is
 * committed by the tick.
 */
jest.setTimeout(90_000);

/** A counter's total, or with `series` one series of a histogram (its `_count`), over the series matching `label`. */
const metric = async (metrics: Metrics, name: string, label?: Record<string, string>, series = name): Promise<number> => {
  const values = (await metrics.registry.getSingleMetric(name)?.get())?.values ?? [];
  return values
    .filter((v) => ('metricName' in v ? v.metricName : name) === series && (label === undefined || Object.entries(label).every(([k, x]) => v.labels[k] === x)))
    .reduce((sum, v) => sum + v.value, 0);
};

/** Waves of calls and messages of the same accounts (so of the same partitions), sent together, a fetch apart. */
async function sendWaves(config: RunConfig, codecs: ReturnType<typeof projectCodecs>): Promise<void> {
  const producer = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let wave = 0; wave < 30; wave++) {
      const calls: Message[] = [];
      const messages: Message[] = [];
      for (let a = 0; a < 12; a++) {
        const at = T0 + wave * 1000 + a;
        const call = callEvent(`acct-${a}`, at);
        const message = messageEvent(`acct-${a}`, at);
        calls.push({ key: call.accountId, value: codecs.events.call.encode(call, 'single-object') });
        messages.push({ key: message.accountId, value: codecs.events.message.encode(message, 'single-object') });
      }
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic: config.topics.input.call, messages: calls }, { topic: config.topics.input.message, messages }] });
      await new Promise((r) => setTimeout(r, 150));
    }
  } finally {
    await producer.disconnect();
  }
}

/** Runs `run`'s service over the waves with `env`; its commits and batches once every record is committed. */
async function commitsOverWaves(env: Record<string, string>): Promise<{ commits: number; batches: number; events: number }> {
  const codecs = projectCodecs();
  const metrics = new Metrics(false);
  const config = isolatedConfig(env);
  await createTopicsFor(config);
  const policy = compilePolicy(undefined, defaultRules());
  const service = new DetectorService({ kafka: testKafka(), config, codecs, createPipeline: (p) => buildPipeline(policy, { ...config, trackChanges: true }, metrics.forPartition(p)), logger: SILENT_LOGGER, metrics });
  await service.start();
  try {
    await sendWaves(config, codecs);
    // Every record processed and committed: the group's offsets reach the ends only through committed transactions.
    await waitForCatchUp(config.groupId, Object.values(config.topics.input));
    expect(service.state).toBe('running');
    return {
      commits: await metric(metrics, 'abuse_transactions_total', { result: 'commit' }),
      batches: await metric(metrics, 'abuse_batch_duration_seconds', undefined, 'abuse_batch_duration_seconds_count'),
      events: await metric(metrics, 'abuse_events_total'),
    };
  } finally {
    await service.stop();
  }
}

describe('one commit per partition and fetch', () => {
  /** Commits per batch when every fetch commits every partition it brought (the first test's). */
  let perFetch = Number.NaN;

  it('commits the batches of both topics of a partition in one transaction', async () => {
    const { commits, batches, events } = await commitsOverWaves({ CAUGHT_UP_COMMIT_INTERVAL_MS: '0' });
    perFetch = commits / batches;
    expect(events).toBe(30 * 12 * 2);
    expect(batches).toBeGreaterThan(0);
    // Batch by batch this is about one (each batch commits); per fetch, about a half (two topics per partition).
    expect(commits / batches).toBeLessThan(0.75);
    expect(commits / batches).toBeGreaterThan(0.2);
  });

  it('commits a caught-up partition without violations only every CAUGHT_UP_COMMIT_INTERVAL_MS, and the tick commits what is left', async () => {
    // The waves are 150 ms apart for 4.5 s and make no violations: about five commits per partition, not thirty.
    const { commits, batches, events } = await commitsOverWaves({ CAUGHT_UP_COMMIT_INTERVAL_MS: '1000' });
    expect(events).toBe(30 * 12 * 2);
    expect(Number.isFinite(perFetch)).toBe(true);
    expect(commits / batches).toBeLessThan(perFetch / 2);
  });
});
