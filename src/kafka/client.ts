// Before kafkajs itself: its producer fixes only take if installed before it loads.
import './kafkajs-patches';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../telemetry/logger';

/**
 * The coordinator answers CONCURRENT_TRANSACTIONS while it is still writing
 * the previous commit's markers; kafkajs retries it at once and succeeds, but
 * logs each attempt as an error. Expected under steady transactions: debug.
 */
const ROUTINE_RETRY = /concurrent operation on the same transaction/;

/** A kafkajs client whose own logs go through ours, at warn and above. */
export function createKafka(brokers: readonly string[], clientId: string, logger: Logger): Kafka {
  return new Kafka({
    clientId,
    brokers: [...brokers],
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
    logCreator: () => (entry: LogEntry) => {
      const fields = { kafka: entry.namespace, error: typeof entry.log.error === 'string' ? entry.log.error : undefined };
      if (ROUTINE_RETRY.test(`${entry.log.message} ${fields.error ?? ''}`)) logger.debug(entry.log.message, fields);
      else if (entry.level <= logLevel.ERROR) logger.error(entry.log.message, fields);
      else logger.warn(entry.log.message, fields);
    },
  });
}
