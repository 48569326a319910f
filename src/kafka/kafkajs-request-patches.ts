/**
 * The produce path of kafkajs 2.2.4, from records to the bytes of the request frame, with every buffer allocated at
 * its exact size. kafkajs builds a produce request as nested encoders: a record (grown by doubling from 512 bytes),
 * the batch, the partition, the topic, the request payload, the header and payload, the frame. Each level copies
 * everything below it into a buffer grown by doubling, so a request of 1.3 KB changelog records allocated about 14
 * times its size in Buffers on its way out. Here uncompressed records and their batches are written straight into
 * the payload, and the payload copied once into the frame: 2 times. Buffer bytes are what sets how often V8 collects
 * the young generation ("external memory pressure"), and each collection promotes what happens to be alive, so
 * those copies made the old generation fill, and its full collections (the latency tail) come, sooner. The bytes
 * are the same (test/unit/kafkajs-request-patches.test.ts compares them with the originals').
 */
import type { EncoderInstance } from './kafkajs-patches';
import { batchBytes, COMPRESSION_CODEC_MASK, writeBatch, type BatchEncoder, type BatchFields } from './kafkajs-record-batch';

/** The Encoder methods used here (all kafkajs's own). */
export interface WritingEncoder extends BatchEncoder {
  writeString(v: string | null): this;
  writeVarInt(v: number): this;
  writeVarLong(v: number): this;
  writeVarIntString(v: string): this;
  writeVarIntBytes(v: unknown): this;
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
/** kafkajs's Record (recordBatch/record/v0), for compressed batches. */
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

/** A record's parts and the size of its body, worked out once for its size and its writing. */
interface RecordParts {
  offsetDelta: number;
  timestampDelta: number;
  key: unknown;
  value: unknown;
  headers: HeaderEntry[];
  bodySize: number;
}

function recordParts(Encoder: SizingEncoderClass, { offsetDelta = 0, timestampDelta = 0, key, value, headers = {} }: RecordArgs): RecordParts {
  const list = headerList(headers);
  const bodySize = 1 + Encoder.sizeOfVarLong(timestampDelta) + Encoder.sizeOfVarInt(offsetDelta) + Encoder.sizeOfVarIntBytes(key) + Encoder.sizeOfVarIntBytes(value) + sizeOfHeaders(Encoder, list);
  return { offsetDelta, timestampDelta, key, value, headers: list, bodySize };
}

/** Bytes of the record: its body's length, then its body. */
const recordBytes = (Encoder: SizingEncoderClass, r: RecordParts): number => Encoder.sizeOfVarInt(r.bodySize) + r.bodySize;

/** The record's bytes as kafkajs's record/v0 writes them (its headers were an encoder each, copied in: same bytes). */
function writeRecord<E extends WritingEncoder>(out: E, r: RecordParts): E {
  out.writeVarInt(r.bodySize).writeInt8(0).writeVarLong(r.timestampDelta).writeVarInt(r.offsetDelta).writeVarIntBytes(r.key).writeVarIntBytes(r.value).writeVarInt(r.headers.length);
  for (const header of r.headers) out.writeVarIntString(header.key).writeVarIntBytes(header.value);
  return out;
}

/** A message as the producer hands it to the request (kafkajs adds nothing a record reads). */
export interface ProduceMessage {
  key?: unknown;
  value?: unknown;
  headers?: Record<string, unknown>;
  timestamp?: unknown;
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
    partitions: readonly { partition: number; firstSequence?: number; messages: readonly ProduceMessage[] }[];
  }[];
}

export interface ProduceRequest {
  encode: () => Promise<EncoderInstance>;
}

/** kafkajs's RecordBatch (recordBatch/v0), for compressed batches. */
export type RecordBatchFn = (args: BatchFields & { records: EncoderInstance[] }) => Promise<EncoderInstance>;

/** One partition's batch: written in place from its records, or (compressed) built by RecordBatch and copied. */
type PartitionBatch =
  | { partition: number; built: EncoderInstance; fields?: undefined; records?: undefined; recordBytes: number }
  | { partition: number; built?: undefined; fields: BatchFields; records: RecordParts[]; recordBytes: number };

/**
 * Produce request v3 with an encode() that writes the whole payload into one encoder of its exact size. Each
 * partition's batch has the fields kafkajs gives it (the same timestamps, deltas and batch fields); uncompressed
 * batches and their records are written straight into the payload, compressed ones are built by kafkajs's own
 * Record and RecordBatch (given) and copied in. The original wrote every record into a buffer of its own, copied it into the
 * batch, and copied the batch three times more (partition, topic, payload), each time into a buffer grown by
 * doubling.
 */
export function exactProduceRequest<R extends ProduceRequest>(
  Encoder: SizingEncoderClass,
  makeRecord: RecordFn,
  makeBatch: RecordBatchFn,
  original: (args: ProduceArgs) => R,
  crc: (buf: Buffer) => number,
  longOf: (v: number) => unknown,
): (args: ProduceArgs) => R {
  return (args) => {
    const request = original(args);
    const { acks, timeout, transactionalId = null, producerId = longOf(-1), producerEpoch = 0, compression = 0, topicData } = args;
    const compressed = (compression & COMPRESSION_CODEC_MASK) !== 0;
    const exactProduceEncode = async (): Promise<EncoderInstance> => {
      const topics: { topic: string; batches: PartitionBatch[] }[] = [];
      let size = stringSize(transactionalId) + 2 + 4 + 4;
      for (const { topic, partitions } of topicData) {
        const batches: PartitionBatch[] = [];
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
          const fields: BatchFields = { compression, firstTimestamp, maxTimestamp, producerId, producerEpoch, firstSequence, transactional: !!transactionalId, lastOffsetDelta: messages.length - 1 };
          // A record takes only these of a message's fields; `||`, not `??`, as kafkajs: a timestamp of 0 counts as none.
          const recordArgs = (m: ProduceMessage, i: number): RecordArgs => ({ key: m.key, value: m.value, headers: m.headers, offsetDelta: i, timestampDelta: ((m.timestamp as number | undefined) || dateNow) - firstTimestamp });
          if (compressed) {
            const built = await makeBatch({ ...fields, records: messages.map((m, i) => makeRecord(recordArgs(m, i))) });
            batches.push({ partition, built, recordBytes: 0 });
            size += 4 + 4 + built.offset;
          } else {
            const records = messages.map((m, i) => recordParts(Encoder, recordArgs(m, i)));
            let bytes = 0;
            for (const r of records) bytes += recordBytes(Encoder, r);
            batches.push({ partition, fields, records, recordBytes: bytes });
            size += 4 + 4 + batchBytes(bytes);
          }
        }
        topics.push({ topic, batches });
      }
      const out = new Encoder(size).writeString(transactionalId).writeInt16(acks).writeInt32(timeout).writeInt32(topics.length);
      for (const { topic, batches } of topics) {
        out.writeString(topic).writeInt32(batches.length);
        for (const b of batches) {
          out.writeInt32(b.partition);
          if (b.built !== undefined) {
            out.writeInt32(b.built.offset).writeEncoder(b.built);
            continue;
          }
          const records = b.records;
          out.writeInt32(batchBytes(b.recordBytes));
          writeBatch(out, b.fields, records.length, b.recordBytes, () => {
            for (const r of records) writeRecord(out, r);
          }, crc, longOf);
        }
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
