import { randomBytes } from 'node:crypto';
import { crc32c } from '../../src/kafka/crc32c';
import { groupMessagesPerPartition, unfilledEncoder } from '../../src/kafka/kafkajs-patches';

// The originals: importing the patches above replaced them in this registry, so they come from a fresh one.
let originalGroup!: typeof groupMessagesPerPartition;
let Encoder!: Parameters<typeof unfilledEncoder>[0];
let originalCrc!: (buf: Buffer) => number;
let Long!: { fromValue(v: number): unknown; fromString(s: string): unknown };
jest.isolateModules(() => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  originalGroup = require('kafkajs/src/producer/groupMessagesPerPartition') as typeof groupMessagesPerPartition;
  Encoder = require('kafkajs/src/protocol/encoder') as Parameters<typeof unfilledEncoder>[0];
  originalCrc = require('kafkajs/src/protocol/recordBatch/crc32C') as (buf: Buffer) => number;
  Long = require('kafkajs/src/utils/long') as typeof Long;
  /* eslint-enable @typescript-eslint/no-require-imports */
});

interface Writes {
  writeInt8(v: number): Writes;
  writeInt32(v: number): Writes;
  writeInt64(v: number): Writes;
  writeVarInt(v: number): Writes;
  writeVarLong(v: unknown): Writes;
  writeString(v: string): Writes;
  writeVarIntString(v: string): Writes;
  writeVarIntBytes(v: Buffer | string | null): Writes;
  writeBytes(v: Buffer | string | null): Writes;
  readonly buffer: Buffer;
}

/** The kafkajs producer fixes give the same results as the code they replace, only cheaper. */
describe('kafkajs producer fixes', () => {
  it('replace the originals, which are what they are compared with here', () => {
    expect(originalGroup).not.toBe(groupMessagesPerPartition);
    expect((Encoder as unknown as { name: string }).name).toBe('Encoder');
  });

  it('group messages per partition exactly as kafkajs does: same partitions, same order within each', () => {
    const messages = Array.from({ length: 2_000 }, (_, i) => ({ key: `k${(i * 7919) % 613}`, value: `v${i}` }));
    const args = { topic: 't', partitionMetadata: [{}, {}, {}, {}, {}, {}], messages, partitioner: ({ message }: { message: unknown }) => Number((message as { key: string }).key.slice(1)) % 6 };
    const ours = groupMessagesPerPartition(args);
    expect(ours).toEqual(originalGroup(args));
    expect(Object.keys(ours)).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(groupMessagesPerPartition({ ...args, partitionMetadata: [] })).toEqual({});
  });

  it('encode the same bytes as kafkajs even over recycled, dirty memory, growing past the first buffer', () => {
    const Unfilled = unfilledEncoder(Encoder);
    let seed = 3;
    const rand = (n: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    for (let round = 0; round < 200; round++) {
      // Dirty the pool that unfilled buffers are cut from.
      for (let i = 0; i < 8; i++) Buffer.allocUnsafe(1 + rand(4_000)).fill(0xa5);
      const value = Buffer.alloc(rand(3_000), rand(256));
      const write = (e: Writes): Buffer =>
        e
          .writeVarInt(rand(1e6))
          .writeInt8(rand(100))
          .writeVarLong(rand(1e9))
          .writeVarIntBytes(`k:acct-${rand(1e6)}`)
          .writeVarIntBytes(value)
          .writeString('ünïcode')
          .writeVarIntString('x'.repeat(rand(600)))
          .writeBytes(null)
          .writeInt32(-rand(1e6))
          .writeInt64(rand(1e9))
          // Varints and varlongs of every size and sign, and varlongs past what a double zig-zags exactly.
          .writeVarInt(-rand(2 ** 31))
          .writeVarInt(rand(2) === 0 ? 2 ** 31 - 1 : -(2 ** 31))
          .writeVarLong(-rand(1e15))
          .writeVarLong(rand(2) === 0 ? 2 ** 52 - 1 : -(2 ** 52) + 1)
          .writeVarLong(rand(2) === 0 ? 2 ** 52 : Number.MAX_SAFE_INTEGER)
          .writeVarLong(rand(2) === 0 ? -(2 ** 52) - 5 : -Number.MAX_SAFE_INTEGER)
          .writeVarLong(Long.fromString('-9223372036854775808'))
          .writeVarLong(`${rand(1e9)}`).buffer;
      const before = seed;
      const expected = write(new Encoder() as unknown as Writes);
      seed = before;
      const got = write(new Unfilled() as unknown as Writes);
      expect(got.equals(expected)).toBe(true);
    }
  });

  it('size varlongs as kafkajs does, in numbers where exact and through Longs beyond', () => {
    const Unfilled = unfilledEncoder(Encoder);
    const values: unknown[] = [0, 1, -1, 63, 64, -64, -65, 2 ** 31, -(2 ** 31), 2 ** 52 - 1, -(2 ** 52) + 1, 2 ** 52, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, '123', Long.fromString('9223372036854775807')];
    for (let i = 0; i < 64; i++) values.push(2 ** i, -(2 ** i), 2 ** i - 1);
    for (const v of values) expect(Unfilled.sizeOfVarLong(v)).toBe(Encoder.sizeOfVarLong(v));
  });

  it('compute the CRC-32C that kafkajs computes, for every length and alignment', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(originalCrc(Buffer.alloc(0)));
    const data = randomBytes(5_000);
    for (let length = 0; length < 600; length += 1 + (length >> 4)) {
      for (const offset of [0, 1, 3, 7]) {
        const view = data.subarray(offset, offset + length);
        expect(crc32c(view)).toBe(originalCrc(view));
      }
    }
    expect(crc32c(data)).toBe(originalCrc(data));
  });
});
