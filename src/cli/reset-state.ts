import { runConfigFromEnv } from '../config/run-config';
import { createKafka } from '../kafka/client';
import { resetState } from '../kafka/topic-admin';
import { createLogger } from '../telemetry/logger';

/**
 * `reset-state`: starts a deployment (KAFKA_GROUP_ID) over from empty state by
 * deleting its consumer group and its changelog topic. Refuses while any
 * process of the group runs. The next `run` starts at FROM_BEGINNING's end of
 * the telemetry topics.
 */
export async function resetStateCommand(env: Readonly<Record<string, string | undefined>>, out: NodeJS.WritableStream): Promise<number> {
  const config = runConfigFromEnv(env);
  const logger = createLogger(config.logLevel);
  const deleted = await resetState(createKafka(config.brokers, config.clientId, logger), config.groupId, config.topics);
  out.write(deleted.length > 0 ? `deleted ${deleted.join(' and ')}\n` : `nothing to delete for group ${config.groupId}\n`);
  return 0;
}
