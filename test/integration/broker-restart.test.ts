import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isReady, startDetector, until } from '../helpers/detector-process';
import { chunks, commits, duplicateIds, stop, verdictsOf, type Verdict } from '../helpers/eos-stream';
import { createTopicsFor, isolatedConfig, produce, waitForCatchUp } from '../helpers/kafka';

/**
 * The broker goes away mid-stream and comes back: the detector rides it out
 * (its transaction in flight is aborted and redone) and the violations on the
 * enforcement topic (read_committed) are those of an undisturbed run, each
 * once. A broker of its own, so that no other test sees it restart.
 */
jest.setTimeout(300_000);

const run = promisify(execFile);
const SCRIPTS = join(__dirname, '../../scripts/kafka');
const home = mkdtempSync(join(tmpdir(), 'abuse-broker-'));
const port = 29092 + Math.floor(Math.random() * 1000) * 2;
const brokerEnv = { ...process.env, KAFKA_HOME: home, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(port + 1), KAFKA_HEAP: '512m' };
const brokers = `127.0.0.1:${port}`;
const settings = { KAFKA_BROKERS: brokers, KAFKA_SESSION_TIMEOUT_MS: '6000' };

const brokerUp = () => run(join(SCRIPTS, 'up.sh'), { env: brokerEnv });
const brokerDown = () => run(join(SCRIPTS, 'down.sh'), { env: brokerEnv });

describe('exactly-once across a broker restart', () => {
  let expected: Verdict[];

  beforeAll(async () => {
    await brokerUp();
    const base = isolatedConfig(settings);
    await createTopicsFor(base);
    for (const c of chunks(2000)) await produce(c.topic(base), c.messages, brokers);
    const single = await startDetector(base, settings);
    try {
      await waitForCatchUp(base.groupId, Object.values(base.topics.input), 120_000, brokers);
      expected = await verdictsOf(base);
    } finally {
      await stop(single);
    }
  });

  afterAll(async () => {
    await brokerDown();
    rmSync(home, { recursive: true, force: true });
  });

  it('publishes the same violations, each once, when the broker restarts mid-stream', async () => {
    expect(expected.length).toBeGreaterThan(20);
    const config = isolatedConfig(settings);
    await createTopicsFor(config);
    const detector = await startDetector(config, settings);
    try {
      await until(() => isReady(detector), 60_000, 'ready', [detector]);
      const stream = chunks(250);
      const restartAt = Math.floor(stream.length * 0.4);
      for (const [i, c] of stream.entries()) {
        if (i === restartAt) {
          await until(async () => (await commits(detector)) > 0, 30_000, 'the detector committing transactions', [detector]);
          await brokerDown();
          // Long enough for the detector's requests to fail and its consumer to notice.
          await new Promise((r) => setTimeout(r, 3000));
          await brokerUp();
        }
        await produce(c.topic(config), c.messages, brokers);
        await new Promise((r) => setTimeout(r, 20));
      }
      await waitForCatchUp(config.groupId, Object.values(config.topics.input), 180_000, brokers);
      const got = await verdictsOf(config);
      expect(duplicateIds(got)).toEqual([]);
      expect(got).toEqual(expected);
      expect(detector.child.exitCode).toBeNull();
    } finally {
      await stop(detector);
    }
  });
});
