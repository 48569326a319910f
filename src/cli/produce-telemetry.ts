import { Partitioners } from 'kafkajs';
import { runConfigFromEnv } from '../config/run-config';
import type { TelemetryEvent } from '../events/types';
import { createKafka } from '../kafka/client';
import { createLogger } from '../telemetry/logger';
import type { Progress } from './progress';
import { codecsFor } from './services';

/**
 * Produces telemetry as Avro to the topics of its type, keyed by account, at
 * a target rate: what `generate --kafka` and `simulate --kafka` share. Events
 * are read as they come (a simulation is a stream), sent in chunks, and paced
 * by sleeping until the wall clock catches up with what was sent.
 */
const CHUNK = 500;

export interface ProduceOptions {
  ratePerSecond: number;
  progress: Progress;
  /** How far along an event is (0–1), for the progress bar. */
  fractionOf(event: TelemetryEvent, sent: number): number;
}

export async function produceTelemetry(env: Readonly<Record<string, string | undefined>>, events: Iterable<TelemetryEvent>, opts: ProduceOptions): Promise<number> {
  const config = runConfigFromEnv(env);
  const codecs = await codecsFor(config);
  for (const type of ['call', 'message', 'registration', 'report'] as const) {
    const topic = config.topics.input[type];
    if (config.framing[topic] === 'confluent') await codecs.events[type].registerAs(`${topic}-value`);
  }
  const producer = createKafka(config.brokers, `${config.clientId}-generator`, createLogger(config.logLevel)).producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const started = Date.now();
  let sent = 0;
  const send = async (chunk: TelemetryEvent[]): Promise<void> => {
    const byTopic = new Map<string, { key: string; value: Buffer }[]>();
    for (const e of chunk) {
      const topic = config.topics.input[e.type];
      const list = byTopic.get(topic) ?? [];
      list.push({ key: e.accountId, value: codecs.events[e.type].encode(e, config.framing[topic] ?? 'single-object') });
      byTopic.set(topic, list);
    }
    await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    sent += chunk.length;
    const due = started + (sent / opts.ratePerSecond) * 1000;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const last = chunk[chunk.length - 1];
    if (last) opts.progress.update(sent, opts.fractionOf(last, sent));
  };
  try {
    let chunk: TelemetryEvent[] = [];
    for (const e of events) {
      chunk.push(e);
      if (chunk.length === CHUNK) {
        await send(chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) await send(chunk);
    opts.progress.finish(`produced ${sent.toLocaleString('en-US')} events`);
  } finally {
    await producer.disconnect();
  }
  return sent;
}
