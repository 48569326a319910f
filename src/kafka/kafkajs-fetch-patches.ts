/**
 * kafkajs 2.2.4's record decoder (record/v0/decoder), which every fetched record goes through, with its offset and
 * timestamp worked out in plain numbers. kafkajs parses the batch's first offset and first timestamp from their
 * strings again for every record (`Long.fromValue(string)`), adds the record's delta as a Long, and prints the sum
 * back through Long's chunked division; the timestamp delta itself is read a byte at a time into fresh Longs. That is
 * a score of short-lived objects and most of the decoder's time per record, for values that are far inside the
 * integers a double holds exactly. Here the batch's bases are parsed once per batch (its context object), and a
 * record whose numbers could leave that range (a base that is not a safe integer, a timestamp delta of more than
 * seven varint bytes, a sum past 2^53) goes to the original. The result has the same fields, values and order
 * (test/unit/kafkajs-fetch-patches.test.ts compares them with the original's).
 */

/** kafkajs's Decoder, the parts read here (all its own). */
export interface RecordReader {
  buffer: Buffer;
  offset: number;
  readInt8(): number;
  readVarInt(): number;
  readVarIntBytes(): Buffer | null;
  readVarIntArray<T>(reader: (decoder: RecordReader) => T): T[];
}

/** The batch context kafkajs's batch decoder hands each record (strings as kafkajs keeps them). */
export interface BatchContext {
  firstOffset?: string;
  firstTimestamp?: string;
  maxTimestamp?: string;
  timestampType?: number;
  magicByte?: number;
  isControlBatch?: boolean;
}

export type RecordDecoderFn = (decoder: RecordReader, batchContext?: BatchContext) => unknown;
type HeaderDecoderFn = (decoder: RecordReader) => { key: string; value: Buffer | null };

/** kafkajs's timestampTypes.LOG_APPEND_TIME. */
const LOG_APPEND_TIME = 1;
/** Varint bytes of a delta read here: 7 × 7 = 49 bits, exact in a double with room for the sum. */
const MAX_VARLONG_BYTES = 7;

/** A zig-zag varlong as a number, or NaN when it is longer than MAX_VARLONG_BYTES (the reader has moved on). */
function readSmallVarLong(decoder: RecordReader): number {
  const buf = decoder.buffer;
  let raw = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARLONG_BYTES; i++) {
    const byte = buf[decoder.offset++] ?? 0;
    raw += (byte & 0x7f) * scale;
    if (byte < 0x80) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    scale *= 128;
  }
  return Number.NaN;
}

/** kafkajs's header list to object, as it is: repeated keys collect their values in an array. */
type Headers = Record<string, Buffer | null | (Buffer | null)[]>;
function headerObject(list: readonly { key: string; value: Buffer | null }[]): Headers {
  if (list.length === 0) return {};
  return list.reduce<Headers>((obj, { key, value }) => {
    const seen = obj[key];
    return { ...obj, [key]: seen === undefined ? value : Array.isArray(seen) ? seen.concat([value]) : [seen, value] };
  }, {});
}

/** The record decoder with offsets and timestamps in numbers; `original` takes what does not fit them. */
export function fastRecordDecoder(original: RecordDecoderFn, readHeader: HeaderDecoderFn): RecordDecoderFn {
  let context: BatchContext | undefined;
  let offsetBase = 0;
  let timestampBase = 0;
  let usable = false;
  const fastRecordV0: RecordDecoderFn = (decoder, batchContext = {}) => {
    if (batchContext !== context) {
      context = batchContext;
      offsetBase = Number(batchContext.firstOffset);
      timestampBase = Number(batchContext.firstTimestamp);
      usable = Number.isSafeInteger(offsetBase) && String(offsetBase) === batchContext.firstOffset && Number.isSafeInteger(timestampBase) && String(timestampBase) === batchContext.firstTimestamp;
    }
    if (!usable) return original(decoder, batchContext);
    const start = decoder.offset;
    const attributes = decoder.readInt8();
    const timestampDelta = readSmallVarLong(decoder);
    const offsetDelta = Number.isNaN(timestampDelta) ? 0 : decoder.readVarInt();
    const timestampSum = timestampBase + timestampDelta;
    const offsetSum = offsetBase + offsetDelta;
    if (!Number.isSafeInteger(timestampSum) || !Number.isSafeInteger(offsetSum)) {
      decoder.offset = start;
      return original(decoder, batchContext);
    }
    const { maxTimestamp, magicByte, isControlBatch = false } = batchContext;
    const timestamp = batchContext.timestampType === LOG_APPEND_TIME && maxTimestamp ? maxTimestamp : String(timestampSum);
    const key = decoder.readVarIntBytes();
    const value = decoder.readVarIntBytes();
    const headers = headerObject(decoder.readVarIntArray(readHeader));
    return { magicByte, attributes, timestamp, offset: String(offsetSum), key, value, headers, isControlRecord: isControlBatch, batchContext };
  };
  return fastRecordV0;
}
