import { Partitioners } from 'kafkajs';
import { runConfigFromEnv } from '../config/run-config';
import type { TelemetryEvent } from '../events/types';
import { NdjsonWriter } from '../io/ndjson';
import { createKafka } from '../kafka/client';
import { demoTraffic, type DemoTrafficOptions } from '../simulate/demo-traffic';
import { createLogger } from '../telemetry/logger';
import { codecsFor } from './services';

/**
 * `generate`: demo traffic with a few abusive accounts, written as NDJSON or
 * produced as Avro to the telemetry topics at a target rate.
 */
export interface GenerateOptions extends DemoTrafficOptions {
  output?: string;
  kafka: boolean;
  ratePerSecond: number;
}

const CHUNK = 500;

export async function generate(env: Readonly<Record<string, string | undefined>>, opts: GenerateOptions, err: NodeJS.WritableStream): Promise<number> {
  const { accounts, events } = demoTraffic(opts);
  const personas = new Map<string, number>();
  for (const a of accounts) personas.set(a.persona, (personas.get(a.persona) ?? 0) + 1);
  err.write(`generated ${events.length} events for ${accounts.length} accounts (${[...personas].map(([p, n]) => `${n} ${p}`).join(', ')}) over ${opts.minutes} min of event time\n`);

  if (opts.output !== undefined) {
    const writer = new NdjsonWriter(opts.output);
    for (const e of events) await writer.write(e);
    await writer.close();
  }
  if (opts.kafka) await produce(env, events, opts.ratePerSecond, err);
  return 0;
}

async function produce(env: Readonly<Record<string, string | undefined>>, events: readonly TelemetryEvent[], ratePerSecond: number, err: NodeJS.WritableStream): Promise<void> {
  const config = runConfigFromEnv(env);
  const codecs = await codecsFor(config);
  for (const type of ['call', 'message', 'registration', 'report'] as const) {
    const topic = config.topics.input[type];
    if (config.framing[topic] === 'confluent') await codecs.events[type].registerAs(`${topic}-value`);
  }
  const producer = createKafka(config.brokers, `${config.clientId}-generator`, createLogger(config.logLevel)).producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const started = Date.now();
  let reported = 0;
  try {
    for (let i = 0; i < events.length; i += CHUNK) {
      const chunk = events.slice(i, i + CHUNK);
      const byTopic = new Map<string, { key: string; value: Buffer }[]>();
      for (const e of chunk) {
        const topic = config.topics.input[e.type];
        const framing = config.framing[topic] ?? 'single-object';
        const list = byTopic.get(topic) ?? [];
        list.push({ key: e.accountId, value: codecs.events[e.type].encode(e, framing) });
        byTopic.set(topic, list);
      }
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      const sent = Math.min(i + CHUNK, events.length);
      // Pace to the target rate: sleep until the wall clock catches up with what was sent.
      const due = started + (sent / ratePerSecond) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const pct = Math.floor((sent / events.length) * 10);
      if (pct > reported) {
        reported = pct;
        err.write(`produced ${sent}/${events.length} (${pct * 10}%)\n`);
      }
    }
    err.write(`produced ${events.length} events in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } finally {
    await producer.disconnect();
  }
}
