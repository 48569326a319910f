import type { TopicMessages } from 'kafkajs';
import { isConcurrentTransactions, requestsOf } from '../../src/kafka/detector-service';

/** A transaction's records leave in requests the broker accepts (its message.max.bytes is per record batch). */
describe('requestsOf', () => {
  const records = (n: number, bytes: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: Buffer.alloc(bytes) }));

  it('keeps a small transaction in one request, topics and order as given', () => {
    const requests = requestsOf([
      { topic: 'state', messages: records(3, 100) },
      { topic: 'violations', messages: records(2, 100) },
    ]);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.map((t) => [t.topic, t.messages.map((m) => m.key)])).toEqual([
      ['state', ['k0', 'k1', 'k2']],
      ['violations', ['k0', 'k1']],
    ]);
  });

  it('splits a large one into requests of at most about 512 KiB, losing and reordering nothing', () => {
    const input: TopicMessages[] = [
      { topic: 'state', messages: records(3000, 1000) },
      { topic: 'violations', messages: records(10, 500) },
    ];
    const requests = requestsOf(input);
    expect(requests.length).toBeGreaterThanOrEqual(6);
    for (const r of requests) expect(r.flatMap((t) => t.messages).reduce((n, m) => n + (m.value as Buffer).length, 0)).toBeLessThanOrEqual(512 * 1024);
    const flat = (ts: TopicMessages[]) => ts.flatMap((t) => t.messages.map((m) => `${t.topic}/${String(m.key)}`));
    expect(requests.flatMap((r) => flat(r))).toEqual(flat(input));
  });
});

describe('isConcurrentTransactions', () => {
  it("knows kafkajs's CONCURRENT_TRANSACTIONS error as thrown and inside its wrappers, and nothing else", () => {
    const protocol = Object.assign(new Error('The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing'), { type: 'CONCURRENT_TRANSACTIONS' });
    expect(isConcurrentTransactions(protocol)).toBe(true);
    expect(isConcurrentTransactions(Object.assign(new Error('retries exhausted'), { cause: protocol }))).toBe(true);
    expect(isConcurrentTransactions(Object.assign(new Error('wrapped'), { originalError: protocol }))).toBe(true);
    expect(isConcurrentTransactions(Object.assign(new Error('fenced'), { type: 'INVALID_PRODUCER_EPOCH' }))).toBe(false);
    expect(isConcurrentTransactions(new Error('plain'))).toBe(false);
    expect(isConcurrentTransactions(undefined)).toBe(false);
    expect(isConcurrentTransactions('CONCURRENT_TRANSACTIONS')).toBe(false);
  });
});
