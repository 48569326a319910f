import { isReady, startDetector, until } from '../helpers/detector-process';
import { chunks, commits, duplicateIds, stop, verdictsOf, type Verdict } from '../helpers/eos-stream';
import { createTopicsFor, isolatedConfig, produce, waitForCatchUp } from '../helpers/kafka';

/**
 * The delivery guarantee, end to end on the real broker: two `run` processes
 * share a group; one is killed with SIGKILL while records stream in. The
 * violations a read_committed consumer sees must be exactly those of an
 * undisturbed single-process run over the same records: none missing (the
 * survivor restores the dead one's partitions from the changelog and redoes
 * its open transaction), none twice (that transaction never committed).
 * And a process frozen past its session that comes back believing it still
 * owns its partitions (a zombie) must not commit anything: its producers were
 * fenced by the new owner.
 */
jest.setTimeout(480_000);

const FAST_FAILOVER = { KAFKA_SESSION_TIMEOUT_MS: '6000' };

describe('exactly-once across a kill -9', () => {
  let expected: Verdict[];

  beforeAll(async () => {
    const base = isolatedConfig();
    await createTopicsFor(base);
    for (const c of chunks(2000)) await produce(c.topic(base), c.messages);
    const single = await startDetector(base);
    try {
      await waitForCatchUp(base.groupId, Object.values(base.topics.input), 120_000);
      expected = await verdictsOf(base);
    } finally {
      await stop(single);
    }
  });

  it('gives an undisturbed run something to compare with: violations in several categories', () => {
    expect(expected.length).toBeGreaterThan(20);
    expect(new Set(expected.map((v) => v.category)).size).toBeGreaterThanOrEqual(3);
  });

  it('publishes the same violations, each once, when one of two processes is killed mid-stream', async () => {
    const config = isolatedConfig(FAST_FAILOVER);
    await createTopicsFor(config);
    const victim = await startDetector(config, FAST_FAILOVER);
    const survivor = await startDetector(config, FAST_FAILOVER);
    try {
      await until(async () => (await isReady(victim)) && (await isReady(survivor)), 60_000, 'both processes ready', [victim, survivor]);
      const stream = chunks(250);
      const killAt = Math.floor(stream.length * 0.4);
      for (const [i, c] of stream.entries()) {
        if (i === killAt) {
          await until(async () => (await commits(victim)) > 0, 30_000, 'the victim committing transactions', [victim]);
          // No drain, no goodbye: whatever transaction it has open stays open until the survivor fences it.
          victim.child.kill('SIGKILL');
        }
        await produce(c.topic(config), c.messages);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await victim.exited).toBeNull();
      await waitForCatchUp(config.groupId, Object.values(config.topics.input), 120_000);
      const got = await verdictsOf(config);

      expect(duplicateIds(got)).toEqual([]);
      expect(got).toEqual(expected);
      // The survivor took over state, not just offsets: it restored the victim's partitions from the changelog.
      expect(survivor.logs()).toMatch(/"msg":"partition restored","partition":\d+,"records":[1-9]/);
    } finally {
      victim.child.kill('SIGKILL');
      await stop(survivor);
    }
  });

  it('publishes the same violations, each once, when a process freezes past its session and comes back as a zombie', async () => {
    const config = isolatedConfig(FAST_FAILOVER);
    await createTopicsFor(config);
    const zombie = await startDetector(config, FAST_FAILOVER);
    const other = await startDetector(config, FAST_FAILOVER);
    try {
      await until(async () => (await isReady(zombie)) && (await isReady(other)), 60_000, 'both processes ready', [zombie, other]);
      const stream = chunks(250);
      const freezeAt = Math.floor(stream.length * 0.3);
      const thawAt = Math.floor(stream.length * 0.7);
      for (const [i, c] of stream.entries()) {
        if (i === freezeAt) {
          await until(async () => (await commits(zombie)) > 0, 30_000, 'the zombie-to-be committing transactions', [zombie]);
          // Frozen mid-work: the group moves its partitions away while it still believes it owns them.
          zombie.child.kill('SIGSTOP');
        }
        if (i === thawAt) {
          await until(() => Promise.resolve(/"msg":"partition restored","partition":\d+,"records":[1-9]/.test(other.logs())), 60_000, 'the other process taking over', [zombie, other]);
          // Back, with a batch and an open transaction from before: its producer was fenced, so nothing of it may commit.
          zombie.child.kill('SIGCONT');
        }
        await produce(c.topic(config), c.messages);
        await new Promise((r) => setTimeout(r, 20));
      }
      // Seconds. It once hung here for good: the thawed zombie's last batch failed (fenced) after the last record, and
      // its partition waited for a next batch to be restored (fenced-commit.test.ts has that case on its own).
      await waitForCatchUp(config.groupId, Object.values(config.topics.input), 120_000);
      // Let the zombie notice, rejoin and take its share again, then finish.
      await until(async () => (await isReady(zombie)) && (await isReady(other)), 60_000, 'both processes ready again', [zombie, other]);
      await waitForCatchUp(config.groupId, Object.values(config.topics.input), 120_000);
      const got = await verdictsOf(config);
      expect(duplicateIds(got)).toEqual([]);
      expect(got).toEqual(expected);
    } finally {
      zombie.child.kill('SIGCONT');
      await stop(zombie);
      await stop(other);
    }
  });
});
