import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { AvroCodec } from '../events/codec';
import type { Framing } from '../events/framing';
import type { Violation } from '../events/types';
import type { BadRecordError } from '../errors';

/** Dead-letter headers: why, and where the record came from. */
export const DLQ_HEADERS = {
  reason: 'dlq.reason',
  code: 'dlq.error.code',
  topic: 'dlq.source.topic',
  partition: 'dlq.source.partition',
  offset: 'dlq.source.offset',
} as const;

/** The original key, value and headers, untouched, plus the reason: nothing is lost. */
export function deadLetterRecord(source: { topic: string; partition: number }, message: KafkaMessage, error: BadRecordError): Message {
  const headers: IHeaders = {
    ...message.headers,
    [DLQ_HEADERS.reason]: error.message,
    [DLQ_HEADERS.code]: error.code,
    [DLQ_HEADERS.topic]: source.topic,
    [DLQ_HEADERS.partition]: String(source.partition),
    [DLQ_HEADERS.offset]: message.offset,
  };
  return { key: message.key, value: message.value, headers, timestamp: message.timestamp };
}

/** A violation as the enforcement topic carries it: Avro, keyed by accountId. */
export function violationRecord(codec: AvroCodec, framing: Framing, violation: Violation): Message {
  return { key: violation.accountId, value: codec.encode(violation, framing), headers: { 'violation.id': violation.violationId } };
}
