import { runConfigFromEnv } from '../config/run-config';
import { createKafka } from '../kafka/client';
import { detectorTopics, ensureTopics } from '../kafka/topic-admin';
import { createLogger } from '../telemetry/logger';

/** `topics`: creates the telemetry, enforcement and dead-letter topics that are missing. */
export async function topics(env: Readonly<Record<string, string | undefined>>, out: NodeJS.WritableStream): Promise<number> {
  const config = runConfigFromEnv(env);
  const logger = createLogger(config.logLevel);
  const created = await ensureTopics(createKafka(config.brokers, config.clientId, logger), detectorTopics(config.topics, config.topicPartitions));
  out.write(created.length > 0 ? `created ${created.join(', ')} (${config.topicPartitions} partitions each)\n` : 'all topics exist\n');
  return 0;
}
