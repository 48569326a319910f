import { crc32c } from './crc32c';
import { kafkajsInternals, type VersionMismatch } from './kafkajs-internals';

/**
 * Three cost fixes to kafkajs 2.2.4's producer, which is no longer maintained
 * upstream. None changes a byte on the wire or the order of anything; they
 * only stop work that a profile of exactly-once `run` showed (each commit
 * writes thousands of changelog records through the producer):
 *
 * - `groupMessagesPerPartition` copies a partition's whole message list for
 *   every message it adds (`[...current, message]`): quadratic in a request's
 *   messages, ≈ 4% of `run`. Replaced by a push.
 * - `Encoder` zero-fills every buffer it allocates: 512 bytes per record, and
 *   again on every growth; ≈ 5% of `run`. Replaced by a subclass that takes
 *   unfilled buffers: every Encoder write covers each byte it moves the
 *   offset over, and only the bytes below the offset are ever read.
 * - The CRC-32C of every record batch is computed a byte at a time; ≈ 3% of
 *   `run`. Replaced by a slicing-by-8 one (crc32c.ts), about four times as fast.
 *
 * kafkajs binds all three when its modules load, so the replacements go into
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
interface EncoderInstance {
  buf: Buffer;
  offset: number;
}
type EncoderClass = (new (initialSize?: number) => EncoderInstance) & { nextPowerOfTwo(value: number): number };

/** kafkajs's Encoder, taking unfilled buffers (see above). */
export function unfilledEncoder(Encoder: EncoderClass): EncoderClass {
  return class UnfilledEncoder extends Encoder {
    constructor(initialSize = 511) {
      // The base allocates a one-byte buffer here (its size rounded up from 0), replaced at once.
      super(0);
      this.buf = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(initialSize));
    }

    ensureAvailable(length: number): void {
      if (this.offset + length <= this.buf.length) return;
      const grown = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(this.offset + length));
      this.buf.copy(grown, 0, 0, this.offset);
      this.buf = grown;
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
  const binders = ['producer/sendMessages', 'protocol/recordBatch/record/v0/index', 'protocol/recordBatch/v0/index'];
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
  encoderModule.exports = unfilledEncoder(Encoder);
  groupModule.exports = groupMessagesPerPartition;
  crcModule.exports = crc32c;
  return 'installed';
}

installKafkajsPatches();
