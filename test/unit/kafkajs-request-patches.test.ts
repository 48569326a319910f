import { randomBytes } from 'node:crypto';
import { unfilledEncoder } from '../../src/kafka/kafkajs-patches';
import { exactProduceRequest, exactRequestFrame, type ProduceArgs, type ProduceRequest, type RecordBatchFn, type RecordFn, type SizingEncoderClass } from '../../src/kafka/kafkajs-request-patches';

// The originals, from jest's own module registry (the patches go into Node's, see kafkajs-patches.test.ts).
let Encoder!: Parameters<typeof unfilledEncoder>[0];
let originalRecord!: RecordFn;
let originalBatch!: RecordBatchFn;
let originalCrc!: (buf: Buffer) => number;
let originalProduce!: (args: ProduceArgs) => ProduceRequest & { apiKey: number; apiVersion: number };
let originalProduceV7!: (args: ProduceArgs) => ProduceRequest & { apiVersion: number };
let originalFrame!: (args: { correlationId: number; clientId: string | null; request: { apiKey: number; apiVersion: number; encode: () => Promise<unknown> } }) => Promise<{ buffer: Buffer }>;
let Long!: { fromValue(v: number): unknown };
jest.isolateModules(() => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  Encoder = require('kafkajs/src/protocol/encoder') as typeof Encoder;
  originalRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as RecordFn;
  originalBatch = (require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: RecordBatchFn }).RecordBatch;
  originalCrc = require('kafkajs/src/protocol/recordBatch/crc32C') as (buf: Buffer) => number;
  originalProduce = require('kafkajs/src/protocol/requests/produce/v3/request') as typeof originalProduce;
  originalProduceV7 = require('kafkajs/src/protocol/requests/produce/v7/request') as typeof originalProduceV7;
  originalFrame = require('kafkajs/src/protocol/request') as typeof originalFrame;
  Long = require('kafkajs/src/utils/long') as typeof Long;
  /* eslint-enable @typescript-eslint/no-require-imports */
});

const Unfilled = unfilledEncoder(Encoder) as unknown as SizingEncoderClass;
const longOf = (v: number): unknown => Long.fromValue(v);
// Compressed batches go to kafkajs's own Record and RecordBatch, as when installed.
const produce = exactProduceRequest(Unfilled, originalRecord, originalBatch, originalProduce, originalCrc, longOf);
const frame = exactRequestFrame(Unfilled);
const hex = (e: unknown): string => (e as { buffer: Buffer }).buffer.toString('hex');

let seed = 7;
const rand = (n: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
/** Keys and values of every kind kafkajs takes: null, strings (with multi-byte characters), Buffers of many sizes. */
const payload = (): Buffer | string | null => [null, `v:ünï-${rand(1e6)}`, randomBytes(rand(3_000))][rand(3)] ?? null;
const headers = (): Record<string, string | string[]> => [{}, { a: 'x' }, { 'trace-ïd': ['1', '22', ''], b: 'y'.repeat(rand(300)) }][rand(3)] ?? {};

/** The produce path in kafkajs-request-patches gives the bytes of the code it replaces. */
describe('kafkajs produce request fixes', () => {
  it('encode a produce request payload with the original bytes: topics, partitions, timestamps, transactions, compression', async () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_767_603_614_414);
    try {
      const messages = (n: number, timestamps: 'all' | 'none' | 'some') =>
        Array.from({ length: n }, (_, i) => ({
          key: payload(),
          value: payload(),
          headers: headers(),
          ...(timestamps === 'all' || (timestamps === 'some' && i % 3 === 0) ? { timestamp: 1_767_603_000_000 + rand(100_000) } : {}),
        }));
      const cases: ProduceArgs[] = [
        { acks: -1, timeout: 30_000, topicData: [] },
        { acks: 1, timeout: 5_000, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: messages(1, 'none') }] }] },
        {
          acks: -1,
          timeout: 30_000,
          transactionalId: 'tx-ünï',
          producerId: Long.fromValue(4_000_000_000),
          producerEpoch: 3,
          topicData: [
            { topic: 'abuse.violations', partitions: [{ partition: 2, firstSequence: 17, messages: messages(40, 'all') }] },
            {
              topic: 'abuse.state-changelog',
              partitions: [
                { partition: 0, firstSequence: 0, messages: messages(300, 'some') },
                { partition: 5, firstSequence: 2_147_483_000, messages: messages(7, 'none') },
              ],
            },
          ],
        },
        // GZIP: the batch goes through the original's compressed path.
        { acks: -1, timeout: 30_000, compression: 1, topicData: [{ topic: 'x', partitions: [{ partition: 1, messages: messages(25, 'all') }] }] },
      ];
      for (const args of cases) {
        const ours = produce(args);
        const theirs = originalProduce(args);
        expect(hex(await ours.encode())).toBe(hex(await theirs.encode()));
        const fields = (r: ProduceRequest & { apiKey?: number; apiVersion?: number; apiName?: string; expectResponse?: () => boolean }) => [r.apiKey, r.apiVersion, r.apiName, r.expectResponse?.()];
        expect(fields(ours)).toEqual(fields(theirs));
        const exact = await ours.encode();
        expect(exact.buf.length).toBe(exact.offset);
      }
      // v7 is v3 with another version number: the replaced v3 is what it wraps once installed.
      expect(originalProduceV7(cases[1] as ProduceArgs).apiVersion).toBe(7);
    } finally {
      now.mockRestore();
    }
  });

  it('frame a request (size, header, payload) in one exact buffer with the original bytes', async () => {
    for (const clientId of ['abuse-detector', 'clïent', '', null]) {
      for (const size of [0, 1, 511, 512, 70_000]) {
        const body = randomBytes(size);
        const request = { apiKey: 0, apiVersion: 7, encode: () => Promise.resolve((new Encoder() as unknown as { writeBytes(b: Buffer): { buf: Buffer; offset: number } }).writeBytes(body)) };
        const args = { correlationId: 2_000_000_000 + size, clientId, request };
        const ours = await frame(args);
        expect(hex(ours)).toBe(hex(await originalFrame(args)));
        expect(ours.buf.length).toBe(ours.offset);
      }
    }
  });
});
