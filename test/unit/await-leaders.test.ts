import { TopicsNotReadyError } from '../../src/errors';
import { awaitLeaders, type TopicsMetadata } from '../../src/kafka/await-leaders';

/** An error as kafkajs's protocol errors carry their type. */
const protocolError = (type: string): Error => Object.assign(new Error(type), { type });

/** Answers the scripted metadata asks in turn (an Error is thrown), and records the sleeps between them. */
function scripted(answers: (TopicsMetadata | Error)[]): { fetch: () => Promise<TopicsMetadata>; asks: () => number; sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  let asked = 0;
  const sleeps: number[] = [];
  return {
    fetch: () => {
      const answer = answers[Math.min(asked, answers.length - 1)] as TopicsMetadata | Error;
      asked += 1;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    asks: () => asked,
    sleeps,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
}

const led = (name: string, leaders: number[]): TopicsMetadata['topics'][number] => ({ name, partitions: leaders.map((leader) => ({ leader })) });

describe('awaitLeaders', () => {
  it('asks again while a new partition is unknown or leaderless, and returns once every partition has a leader', async () => {
    const s = scripted([
      protocolError('UNKNOWN_TOPIC_OR_PARTITION'),
      { topics: [led('a', [1, -1]), led('b', [1])] },
      protocolError('LEADER_NOT_AVAILABLE'),
      { topics: [led('a', [1, 1]), led('b', [1])] },
      { topics: [] },
    ]);
    await awaitLeaders(['a', 'b'], s.fetch, { attempts: 10, delayMs: 7, sleep: s.sleep });
    expect(s.asks()).toBe(4);
    expect(s.sleeps).toEqual([7, 7, 7]);
  });

  it('throws any other error at once', async () => {
    const s = scripted([protocolError('TOPIC_AUTHORIZATION_FAILED')]);
    await expect(awaitLeaders(['a'], s.fetch, { attempts: 10, delayMs: 7, sleep: s.sleep })).rejects.toThrow('TOPIC_AUTHORIZATION_FAILED');
    expect(s.asks()).toBe(1);
  });

  it('gives up after its attempts, naming the topics still without leaders', async () => {
    const s = scripted([{ topics: [led('a', [1]), led('b', [-1]), led('c', [])] }]);
    const failure = awaitLeaders(['a', 'b', 'c'], s.fetch, { attempts: 3, delayMs: 5, sleep: s.sleep });
    await expect(failure).rejects.toBeInstanceOf(TopicsNotReadyError);
    await expect(failure).rejects.toThrow('topic(s) b, c still had partitions without a leader after 15 ms');
    expect([s.asks(), s.sleeps.length]).toEqual([3, 2]);
  });
});
