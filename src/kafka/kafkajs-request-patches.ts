/**
 * The produce path of kafkajs 2.2.4, from records to the bytes of the request frame, with every buffer allocated at
 * its exact size and each byte copied once per level. kafkajs builds a produce request as nested encoders: a record
 * (grown by doubling from 512 bytes), the batch, the partition, the topic, the request payload, the header and
 * payload, the frame. Each level copies everything below it into a buffer grown by doubling, so a request of 1.3 KB
 * changelog records allocated about 14 times its size in Buffers on its way out; here 4 times (the record, the
 * batch, the payload, the frame). Buffer bytes are what sets how often V8 collects the young generation ("external
 * memory pressure"), and each collection promotes what happens to be alive, so those copies made the old generation
 * fill, and its full collections (the latency tail) come, sooner. The batch is exactRecordBatch (kafkajs-patches.ts).
 * The bytes are the same (test/unit/kafkajs-request-patches.test.ts compares them with the originals').
 */
import type { EncoderInstance } from './kafkajs-patches';

/** The Encoder methods used here (all kafkajs's own). */
export interface WritingEncoder extends EncoderInstance {
  writeInt8(v: number): this;
  writeInt16(v: number): this;
  writeInt32(v: number): this;
  writeString(v: string | null): this;
  writeVarInt(v: number): this;
  writeVarLong(v: number): this;
  writeVarIntString(v: string): this;
  writeVarIntBytes(v: unknown): this;
  writeEncoder(v: EncoderInstance): this;
}

/** kafkajs's Encoder class, with the static sizes it offers. */
export interface SizingEncoderClass {
  new (initialSize?: number): WritingEncoder;
  sizeOfVarInt(v: number): number;
  sizeOfVarLong(v: number): number;
  sizeOfVarIntBytes(v: unknown): number;
}

interface RecordArgs {
  offsetDelta?: number;
  timestampDelta?: number;
  key?: unknown;
  value?: unknown;
  headers?: Record<string, unknown>;
}
export type RecordFn = (args: RecordArgs) => EncoderInstance;

interface HeaderEntry {
  key: string;
  value: unknown;
}

/** kafkajs's header list: one entry per value, array values spread (as record/v0 does). */
function headerList(headers: Record<string, unknown>): HeaderEntry[] {
  return Object.keys(headers).flatMap((key) => {
    const value = headers[key];
    return Array.isArray(value) ? value.map((v: unknown) => ({ key, value: v })) : [{ key, value }];
  });
}

/** kafkajs's sizeOfHeaders, as it is: Buffer.byteLength of a null value throws there as here. */
function sizeOfHeaders(Encoder: SizingEncoderClass, headers: readonly HeaderEntry[]): number {
  let size = Encoder.sizeOfVarInt(headers.length);
  for (const header of headers) {
    const keySize = Buffer.byteLength(header.key);
    const valueSize = Buffer.byteLength(header.value as string);
    size += Encoder.sizeOfVarInt(keySize) + keySize;
    size += header.value === null ? Encoder.sizeOfVarInt(-1) : Encoder.sizeOfVarInt(valueSize) + valueSize;
  }
  return size;
}

/**
 * kafkajs's Record (record/v0) in one encoder of its exact size. The original's encoder starts at 512 bytes and
 * doubles, copying, so a 1.3 KB record allocated 3.5 KB; its headers were an encoder each, copied in. Same bytes.
 */
export function exactRecord(Encoder: SizingEncoderClass): RecordFn {
  const exactRecordV0: RecordFn = ({ offsetDelta = 0, timestampDelta = 0, key, value, headers = {} }) => {
    const list = headerList(headers);
    const sizeOfBody = 1 + Encoder.sizeOfVarLong(timestampDelta) + Encoder.sizeOfVarInt(offsetDelta) + Encoder.sizeOfVarIntBytes(key) + Encoder.sizeOfVarIntBytes(value) + sizeOfHeaders(Encoder, list);
    const out = new Encoder(Encoder.sizeOfVarInt(sizeOfBody) + sizeOfBody)
      .writeVarInt(sizeOfBody)
      .writeInt8(0)
      .writeVarLong(timestampDelta)
      .writeVarInt(offsetDelta)
      .writeVarIntBytes(key)
      .writeVarIntBytes(value)
      .writeVarInt(list.length);
    for (const header of list) out.writeVarIntString(header.key).writeVarIntBytes(header.value);
    return out;
  };
  return exactRecordV0;
}

/** What produce request v3 (and v4 to v7, which are v3 with another version number) is given. */
export interface ProduceArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: unknown;
  producerEpoch?: number;
  compression?: number;
  topicData: readonly {
    topic: string;
    partitions: readonly { partition: number; firstSequence?: number; messages: readonly ({ timestamp?: unknown } & Record<string, unknown>)[] }[];
  }[];
}

export interface ProduceRequest {
  encode: () => Promise<EncoderInstance>;
}

type RecordBatchFn = (args: Record<string, unknown>) => Promise<EncoderInstance>;

/**
 * Produce request v3 with an encode() that builds each partition's batch as kafkajs does (the same timestamps,
 * deltas and batch fields, through the given Record and RecordBatch), then writes the whole payload into one
 * encoder of its exact size. The original copied every batch three times more (partition, topic, payload), each
 * time into a buffer grown by doubling.
 */
export function exactProduceRequest<R extends ProduceRequest>(
  Encoder: SizingEncoderClass,
  makeRecord: RecordFn,
  makeBatch: RecordBatchFn,
  original: (args: ProduceArgs) => R,
  longOf: (v: number) => unknown,
): (args: ProduceArgs) => R {
  return (args) => {
    const request = original(args);
    const { acks, timeout, transactionalId = null, producerId = longOf(-1), producerEpoch = 0, compression = 0, topicData } = args;
    const exactProduceEncode = async (): Promise<EncoderInstance> => {
      const topics: { topic: string; batches: { partition: number; batch: EncoderInstance }[] }[] = [];
      let size = stringSize(transactionalId) + 2 + 4 + 4;
      for (const { topic, partitions } of topicData) {
        const batches: { partition: number; batch: EncoderInstance }[] = [];
        size += stringSize(topic) + 4;
        for (const { partition, messages, firstSequence } of partitions) {
          // As kafkajs's partitionsEncoder, line for line: its timestamp order is the default (string) sort.
          const dateNow = Date.now();
          const messageTimestamps = messages
            .map((m) => m.timestamp)
            .filter((timestamp) => timestamp !== null && timestamp !== undefined)
            .sort();
          const timestamps = messageTimestamps.length === 0 ? [dateNow] : messageTimestamps;
          const firstTimestamp = timestamps[0] as number;
          const maxTimestamp = timestamps[timestamps.length - 1];
          // `||`, not `??`, as kafkajs: a timestamp of 0 counts as none.
          const records = messages.map((message, i) =>
            makeRecord({ ...message, offsetDelta: i, timestampDelta: ((message.timestamp as number | undefined) || dateNow) - firstTimestamp }),
          );
          const batch = await makeBatch({
            compression,
            records,
            firstTimestamp,
            maxTimestamp,
            producerId,
            producerEpoch,
            firstSequence,
            transactional: !!transactionalId,
            lastOffsetDelta: records.length - 1,
          });
          batches.push({ partition, batch });
          size += 4 + 4 + batch.offset;
        }
        topics.push({ topic, batches });
      }
      const out = new Encoder(size).writeString(transactionalId).writeInt16(acks).writeInt32(timeout).writeInt32(topics.length);
      for (const { topic, batches } of topics) {
        out.writeString(topic).writeInt32(batches.length);
        for (const { partition, batch } of batches) out.writeInt32(partition).writeInt32(batch.offset).writeEncoder(batch);
      }
      return out;
    };
    return { ...request, encode: exactProduceEncode };
  };
}

/** Bytes of a kafkajs STRING (int16 length, then UTF-8; null is the length -1 alone). */
const stringSize = (s: string | null | undefined): number => 2 + (s === null || s === undefined ? 0 : Buffer.byteLength(s, 'utf8'));

interface FrameArgs {
  correlationId: number;
  clientId: string | null;
  request: { apiKey: number; apiVersion: number; encode: () => Promise<EncoderInstance> };
}

/**
 * kafkajs's protocol/request (the frame: its size, the header, the payload) in one encoder of its exact size. The
 * original copied the payload twice, into encoders grown by doubling. Every request goes through it.
 */
export function exactRequestFrame(Encoder: SizingEncoderClass): (args: FrameArgs) => Promise<EncoderInstance> {
  const exactFrame = async ({ correlationId, clientId, request: { apiKey, apiVersion, encode } }: FrameArgs): Promise<EncoderInstance> => {
    const payload = await encode();
    const size = 2 + 2 + 4 + stringSize(clientId) + payload.offset;
    return new Encoder(4 + size).writeInt32(size).writeInt16(apiKey).writeInt16(apiVersion).writeInt32(correlationId).writeString(clientId).writeEncoder(payload);
  };
  return exactFrame;
}
