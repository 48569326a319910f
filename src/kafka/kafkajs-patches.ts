import { crc32c } from './crc32c';
import { kafkajsInternals, type VersionMismatch } from './kafkajs-internals';
import { fastRecordDecoder, type RecordDecoderFn } from './kafkajs-fetch-patches';
import { exactProduceRequest, exactRequestFrame, type ProduceArgs, type ProduceRequest, type RecordBatchFn, type RecordFn, type SizingEncoderClass } from './kafkajs-request-patches';

/**
 * Cost fixes to kafkajs 2.2.4's producer (and one to its consumer), which is
 * no longer maintained upstream. None changes a byte on the wire, a decoded
 * value or the order of anything; they only stop work that a profile of
 * exactly-once `run` showed (each commit writes thousands of changelog
 * records through the producer):
 *
 * - `groupMessagesPerPartition` copies a partition's whole message list for
 *   every message it adds (`[...current, message]`): quadratic in a request's
 *   messages, ≈ 4% of `run`. Replaced by a push.
 * - `Encoder` zero-fills every buffer it allocates: 512 bytes per record, and
 *   again on every growth; ≈ 5% of `run`. Replaced by a subclass that takes
 *   unfilled buffers: every Encoder write covers each byte it moves the
 *   offset over, and only the bytes below the offset are ever read. The
 *   subclass also writes varints in place, where kafkajs makes an array and a
 *   Buffer for each (and a dozen Longs for a varlong): six per record.
 * - The CRC-32C of every record batch is computed a byte at a time; ≈ 3% of
 *   `run`. Replaced by a slicing-by-8 one (crc32c.ts), about four times as fast.
 * - A produce request is built as nested encoders (record, batch, partition,
 *   topic, payload, frame), each copying what it holds into a buffer grown by
 *   doubling: the produce request is replaced by one that writes uncompressed
 *   records and their batches straight into a payload of the exact size, and
 *   the frame of every request by one of the exact size
 *   (kafkajs-request-patches.ts). Compressed batches keep kafkajs's own
 *   Record and RecordBatch.
 * - On the consumer's side, every fetched record's offset and timestamp go
 *   through a score of Longs: replaced by numbers where they are exact
 *   (kafkajs-fetch-patches.ts).
 *
 * kafkajs binds all of them when its modules load, so the replacements go into
 * Node's module cache before kafkajs is first required: import this module
 * ahead of kafkajs (src/cli/main.ts and src/kafka/client.ts do). If kafkajs
 * is already loaded, the originals stay in place and everything works as
 * before, only slower; `run` logs which.
 */
export type PatchOutcome = 'installed' | 'kafkajs already loaded' | VersionMismatch;

interface Partitioned {
  topic: string;
  partitionMetadata: readonly unknown[];
  messages: readonly unknown[];
  partitioner: (args: { topic: string; partitionMetadata: readonly unknown[]; message: unknown }) => number;
}

/** groupMessagesPerPartition with the same result (partition → its messages, in order), linear. */
export function groupMessagesPerPartition({ topic, partitionMetadata, messages, partitioner }: Partitioned): Record<number, unknown[]> {
  const result: Record<number, unknown[]> = {};
  if (partitionMetadata.length === 0) return result;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (result[partition] ??= []).push(message);
  }
  return result;
}

/** The parts of kafkajs's Encoder that the subclass touches. */
export interface EncoderInstance {
  buf: Buffer;
  offset: number;
}
type EncoderClass = (new (initialSize?: number) => EncoderInstance & { writeVarLong(v: unknown): EncoderInstance }) & { nextPowerOfTwo(value: number): number; sizeOfVarLong(v: unknown): number };

/** The bits above a varint byte's seven, as kafkajs masks them (UNSIGNED_INT32_MAX_NUMBER). */
const VARINT_HIGH_BITS = 0xffffff80;
/** Magnitudes whose zig-zag value (twice as large) a double holds exactly. */
const SMALL_LONG = 2 ** 52;

/** The zig-zag value of a safe integer below 2^52 in magnitude (exact in a double), or -1 for anything else. */
function smallZigZag(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || Math.abs(value) >= SMALL_LONG) return -1;
  return value >= 0 ? 2 * value : -2 * value - 1;
}

/** Varint bytes of a non-negative number (seven bits each). */
function sizeOfUnsigned(n: number): number {
  let bytes = 1;
  for (let z = n; z >= 0x80; z = Math.floor(z / 0x80)) bytes++;
  return bytes;
}

/** kafkajs's Encoder, taking unfilled buffers (see above). */
export function unfilledEncoder(Encoder: EncoderClass): EncoderClass {
  return class UnfilledEncoder extends Encoder {
    /** @param initialSize exact (the original rounds it up to a power of two); 512 bytes when not given, as the original. */
    constructor(initialSize?: number) {
      // The base allocates a one-byte buffer here (its size rounded up from 0), replaced at once.
      super(0);
      this.buf = Buffer.allocUnsafe(initialSize === undefined ? 512 : Math.max(1, initialSize));
    }

    ensureAvailable(length: number): void {
      if (this.offset + length <= this.buf.length) return;
      const grown = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(this.offset + length));
      this.buf.copy(grown, 0, 0, this.offset);
      this.buf = grown;
    }

    /** The original's loop, writing each byte in place instead of into an array turned into a Buffer per varint. */
    writeUVarInt(value: number): this {
      let bytes = 1;
      for (let v = value; (v & VARINT_HIGH_BITS) !== 0; v >>>= 7) bytes++;
      this.ensureAvailable(bytes);
      let v = value;
      while ((v & VARINT_HIGH_BITS) !== 0) {
        this.buf[this.offset++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      this.buf[this.offset++] = v & 0x7f;
      return this;
    }

    /** A zig-zag varlong: numbers that a double zig-zags exactly are written in place; anything else as the original (Longs). */
    override writeVarLong(value: unknown): this {
      const zigzag = smallZigZag(value);
      if (zigzag < 0) {
        super.writeVarLong(value);
        return this;
      }
      this.ensureAvailable(sizeOfUnsigned(zigzag));
      let z = zigzag;
      while (z >= 0x80) {
        this.buf[this.offset++] = (z % 0x80) | 0x80;
        z = Math.floor(z / 0x80);
      }
      this.buf[this.offset++] = z;
      return this;
    }

    static override sizeOfVarLong(value: unknown): number {
      const zigzag = smallZigZag(value);
      return zigzag < 0 ? super.sizeOfVarLong(value) : sizeOfUnsigned(zigzag);
    }
  };
}

let outcome: PatchOutcome | undefined;

/** Installs the replacements once per process; says whether they took. */
export function installKafkajsPatches(): PatchOutcome {
  outcome ??= install();
  return outcome;
}

function install(): PatchOutcome {
  const load = kafkajsInternals();
  if (typeof load === 'string') return load;
  const cache = load.cache;
  const path = (id: string): string => load.resolve(`kafkajs/src/${id}`);
  // The modules that bind them at load: once one of these is loaded, a replacement no longer reaches it.
  const binders = [
    'producer/sendMessages',
    'protocol/recordBatch/record/v0/index',
    'protocol/recordBatch/v0/index',
    'protocol/requests/produce/v3/request',
    'protocol/requests/produce/v4/request',
    'protocol/request',
    'network/connection',
    'protocol/recordBatch/v0/decoder',
  ];
  if (binders.some((id) => cache[path(id)] !== undefined)) return 'kafkajs already loaded';
  const encoderPath = path('protocol/encoder');
  const groupPath = path('producer/groupMessagesPerPartition');
  const crcPath = path('protocol/recordBatch/crc32C/index');
  const Encoder = load(encoderPath) as EncoderClass;
  load(groupPath);
  load(crcPath);
  const encoderModule = cache[encoderPath];
  const groupModule = cache[groupPath];
  const crcModule = cache[crcPath];
  if (encoderModule === undefined || groupModule === undefined || crcModule === undefined) return 'kafkajs already loaded';
  const Unfilled = unfilledEncoder(Encoder);
  encoderModule.exports = Unfilled;
  groupModule.exports = groupMessagesPerPartition;
  crcModule.exports = crc32c;
  // The produce request (kafkajs-request-patches.ts; v4 to v7 load v3 and change only its version number) and the
  // frame of every request (the connection binds it when it loads). The originals load now, with the encoder and CRC
  // above bound in them: the produce request hands compressed batches to kafkajs's own Record and RecordBatch.
  const Record = load(path('protocol/recordBatch/record/v0/index')) as RecordFn;
  const { RecordBatch } = load(path('protocol/recordBatch/v0/index')) as { RecordBatch: RecordBatchFn };
  const Long = load(path('utils/long')) as { fromValue(v: number): unknown };
  const producePath = path('protocol/requests/produce/v3/request');
  const framePath = path('protocol/request');
  const produce = load(producePath) as (args: ProduceArgs) => ProduceRequest;
  load(framePath);
  const [produceCached, frameCached] = [cache[producePath], cache[framePath]];
  if (produceCached === undefined || frameCached === undefined) return 'kafkajs already loaded';
  // The consumer's record decoder (kafkajs-fetch-patches.ts); the batch decoder binds it when it loads.
  const recordDecoderPath = path('protocol/recordBatch/record/v0/decoder');
  const recordDecoder = load(recordDecoderPath) as RecordDecoderFn;
  const readHeader = load(path('protocol/recordBatch/header/v0/decoder')) as Parameters<typeof fastRecordDecoder>[1];
  const recordDecoderCached = cache[recordDecoderPath];
  if (recordDecoderCached === undefined) return 'kafkajs already loaded';
  recordDecoderCached.exports = fastRecordDecoder(recordDecoder, readHeader);
  const sizing = Unfilled as unknown as SizingEncoderClass;
  produceCached.exports = exactProduceRequest(sizing, Record, RecordBatch, produce, crc32c, (v) => Long.fromValue(v));
  frameCached.exports = exactRequestFrame(sizing);
  return 'installed';
}

installKafkajsPatches();
