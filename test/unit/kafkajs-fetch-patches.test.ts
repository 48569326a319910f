import { randomBytes } from 'node:crypto';
import { fastRecordDecoder, type BatchContext, type RecordDecoderFn, type RecordReader } from '../../src/kafka/kafkajs-fetch-patches';

// The originals, from jest's own module registry (the patches go into Node's, see kafkajs-patches.test.ts).
type RecordFn = (r: { offsetDelta: number; timestampDelta: number; key: Buffer | string | null; value: Buffer | string | null; headers?: Record<string, string | string[]> }) => { buffer: Buffer };
let Decoder!: new (buffer: Buffer) => RecordReader;
let originalDecoder!: RecordDecoderFn;
let readHeader!: Parameters<typeof fastRecordDecoder>[1];
let Record!: RecordFn;
jest.isolateModules(() => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  Decoder = require('kafkajs/src/protocol/decoder') as typeof Decoder;
  originalDecoder = require('kafkajs/src/protocol/recordBatch/record/v0/decoder') as RecordDecoderFn;
  readHeader = require('kafkajs/src/protocol/recordBatch/header/v0/decoder') as typeof readHeader;
  Record = require('kafkajs/src/protocol/recordBatch/record/v0') as RecordFn;
  /* eslint-enable @typescript-eslint/no-require-imports */
});

let seed = 11;
const rand = (n: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)] as T;

/** Record decoding with offsets and timestamps in numbers gives what kafkajs's decoder gives. */
describe('kafkajs record decoder fix', () => {
  it('decodes every record as the original: same fields, values and order, and leaves the reader where it does', () => {
    const ours = fastRecordDecoder(originalDecoder, readHeader);
    const contexts: BatchContext[] = [
      { firstOffset: '0', firstTimestamp: '1767603614414', maxTimestamp: '1767603699999', timestampType: 0, magicByte: 2, isControlBatch: false },
      { firstOffset: '123456789012', firstTimestamp: '-1', maxTimestamp: '-1', timestampType: 0, magicByte: 2 },
      // Log-append time: every record carries the batch's max timestamp.
      { firstOffset: '77', firstTimestamp: '1767603614414', maxTimestamp: '1767603699999', timestampType: 1, magicByte: 2, isControlBatch: true },
      // Past 2^53: the original's Longs.
      { firstOffset: '9223372036854775000', firstTimestamp: '9007199254740990', maxTimestamp: '9007199254740999', timestampType: 0, magicByte: 2 },
    ];
    let fallbacks = 0;
    const counting: RecordDecoderFn = (d, c) => {
      fallbacks++;
      return originalDecoder(d, c);
    };
    const counted = fastRecordDecoder(counting, readHeader);
    let expectedFallbacks = 0;
    for (const [ci, context] of contexts.entries()) {
      for (let i = 0; i < 200; i++) {
        const timestampDelta = pick([0, rand(1_000), -rand(1_000_000), rand(2 ** 31) * 1_000, 2 ** 52 + rand(1_000), -(2 ** 50)]);
        // Seven varint bytes hold a zig-zag value below 2^49, so a delta below 2^48 either way.
        if (ci === 3 || Math.abs(timestampDelta) >= 2 ** 48) expectedFallbacks++;
        const headers = pick<Record<string, string | string[]>>([{}, { a: 'x' }, { trace: ['1', '22'], b: 'ü'.repeat(rand(200)) }]);
        const encoded = Record({ offsetDelta: rand(3) === 0 ? i : rand(2 ** 30), timestampDelta, key: pick([null, `k:acct-${i}`, randomBytes(rand(40))]), value: pick([null, randomBytes(rand(2_000))]), headers }).buffer;
        // A record as the batch decoder hands it over: its bytes after their length, then whatever follows.
        const bytes = Buffer.concat([encoded.subarray(sizeOfVarInt(encoded)), Buffer.from([0xee, 0xff])]);
        const a = new Decoder(bytes);
        const b = new Decoder(bytes);
        const c = new Decoder(bytes);
        const expected = originalDecoder(a, context);
        expect(ours(b, context)).toEqual(expected);
        expect(counted(c, context)).toEqual(expected);
        expect([b.offset, c.offset]).toEqual([a.offset, a.offset]);
      }
    }
    // The fallback is taken for what numbers would not hold exactly, and only then.
    expect(fallbacks).toBe(expectedFallbacks);
    expect(expectedFallbacks).toBeLessThan(contexts.length * 200);
    // Without a context the original fails on the missing offsets; so does this one, through it.
    const bytes = Record({ offsetDelta: 1, timestampDelta: 1, key: 'k', value: 'v' }).buffer.subarray(1);
    expect(() => ours(new Decoder(bytes))).toThrow(TypeError);
    expect(() => originalDecoder(new Decoder(bytes))).toThrow(TypeError);
  });

  it('keeps no more than it must between batches: a context seen again after another is read afresh', () => {
    const ours = fastRecordDecoder(originalDecoder, readHeader);
    const bytes = Record({ offsetDelta: 5, timestampDelta: 7, key: 'k', value: 'v' }).buffer.subarray(1);
    const first: BatchContext = { firstOffset: '100', firstTimestamp: '1000', timestampType: 0, magicByte: 2 };
    const second: BatchContext = { firstOffset: '200', firstTimestamp: '2000', timestampType: 0, magicByte: 2 };
    const offsets = [first, second, first].map((ctx) => (ours(new Decoder(bytes), ctx) as { offset: string; timestamp: string }).offset);
    expect(offsets).toEqual(['105', '205', '105']);
  });
});

/** Bytes of the varint length prefix at the start of an encoded record. */
function sizeOfVarInt(buf: Buffer): number {
  let i = 0;
  while (((buf[i] ?? 0) & 0x80) !== 0) i++;
  return i + 1;
}
