/**
 * Writing kafkajs 2.2.4's RecordBatch (v0, uncompressed) into an encoder that has room for it, with its records
 * written in place by the caller: the same bytes as kafkajs's `RecordBatch`, for the produce request that writes
 * its batches straight into its payload (kafkajs-request-patches.ts).
 */
import type { EncoderInstance } from './kafkajs-patches';

/** The parts of an Encoder that a batch is written with (all kafkajs's own methods). */
export interface BatchEncoder extends EncoderInstance {
  writeInt8(v: number): this;
  writeInt16(v: number): this;
  writeInt32(v: number): this;
  writeUInt32(v: number): this;
  writeInt64(v: unknown): this;
  writeEncoder(v: EncoderInstance): this;
}

/** What kafkajs's RecordBatch takes, records aside. */
export interface BatchFields {
  compression?: number;
  firstOffset?: unknown;
  firstTimestamp?: unknown;
  maxTimestamp?: unknown;
  partitionLeaderEpoch?: number;
  lastOffsetDelta?: number;
  transactional?: boolean;
  producerId?: unknown;
  producerEpoch?: number;
  firstSequence?: number;
}

const MAGIC_BYTE = 2;
const TRANSACTIONAL_MASK = 16;
export const COMPRESSION_CODEC_MASK = 0x07;
/** Attributes, last offset delta, first and max timestamp, producer id and epoch, first sequence, record count. */
const BATCH_BODY_HEAD = 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;

/** Bytes of a batch whose records take `recordBytes`: first offset, length, and what the length counts. */
export const batchBytes = (recordBytes: number): number => 8 + 4 + batchLength(recordBytes);

/** Partition leader epoch, magic byte, CRC, body: what kafkajs's writeBytes prefixes with its length. */
const batchLength = (recordBytes: number): number => 4 + 1 + 4 + BATCH_BODY_HEAD + recordBytes;

/**
 * Writes the batch into `out` (which must have room for batchBytes(recordBytes)): its head, then the records by
 * `writeRecords` (exactly `recordBytes` of them, `records` records), then the CRC-32C of the body in its place.
 */
export function writeBatch(
  out: BatchEncoder,
  fields: BatchFields,
  records: number,
  recordBytes: number,
  writeRecords: (out: BatchEncoder) => void,
  crc: (buf: Buffer) => number,
  longOf: (v: number) => unknown,
): void {
  const compression = fields.compression ?? 0;
  out.writeInt64(fields.firstOffset ?? longOf(0)).writeInt32(batchLength(recordBytes)).writeInt32(fields.partitionLeaderEpoch ?? 0).writeInt8(MAGIC_BYTE);
  const crcAt = out.offset;
  out.writeUInt32(0);
  const bodyAt = out.offset;
  out
    .writeInt16((compression & COMPRESSION_CODEC_MASK) | (fields.transactional ? TRANSACTIONAL_MASK : 0))
    .writeInt32(fields.lastOffsetDelta ?? 0)
    .writeInt64(fields.firstTimestamp ?? Date.now())
    .writeInt64(fields.maxTimestamp ?? Date.now())
    .writeInt64(fields.producerId ?? longOf(-1))
    .writeInt16(fields.producerEpoch ?? 0)
    .writeInt32(fields.firstSequence ?? 0)
    .writeInt32(records);
  writeRecords(out);
  out.buf.writeUInt32BE(crc(out.buf.subarray(bodyAt, out.offset)), crcAt);
}
