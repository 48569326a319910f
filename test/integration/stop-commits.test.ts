import { startDetector, until, type DetectorProcess } from '../helpers/detector-process';
import { stop } from '../helpers/eos-stream';
import { callEvent, T0 } from '../helpers/events';
import { createTopicsFor, isolatedConfig, produce, waitForCatchUp } from '../helpers/kafka';
import { projectCodecs } from '../helpers/schemas';

/**
 * SIGTERM in the middle of a backlog: a partition catching up puts its commits off (at most one a second), so at
 * the stop it holds processed records it has not committed. The drain commits them all, due or not; the
 * partitions' next owner then starts right after them and redoes nothing. (Before, the final commit skipped a
 * partition that had committed under a second earlier, and its records were processed twice.)
 */
jest.setTimeout(240_000);

const RECORDS = 150_000;

/** Call events the process has taken in so far, from its /metrics (0 before the first). */
async function callsProcessed(p: DetectorProcess): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${p.port}/metrics`)).text();
  return Number(/^abuse_events_total\{type="call"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

it('commits on SIGTERM everything it processed mid-backlog, so the next process takes exactly the rest', async () => {
  const codecs = projectCodecs();
  const config = isolatedConfig();
  await createTopicsFor(config);
  // 2,000 accounts, a call every 20 ms of event time between them: ordinary traffic, no partition idle.
  const calls = Array.from({ length: RECORDS }, (_, i) => callEvent(`acct-stop-${i % 2000}`, T0 + i * 20, { to: `+1212555${String(i % 10_000).padStart(4, '0')}` }));
  for (let i = 0; i < calls.length; i += 5000) {
    await produce(
      config.topics.input.call,
      calls.slice(i, i + 5000).map((e) => ({ key: e.accountId, value: codecs.events.call.encode(e, 'single-object') })),
    );
  }

  const first = await startDetector(config);
  await until(async () => (await callsProcessed(first)) >= 10_000, 120_000, 'the first process working through the backlog', [first]);
  expect(await stop(first)).toBe(0);
  const taken = Number(/"msg":"stopped","records":(\d+)/.exec(first.logs())?.[1] ?? Number.NaN);
  // Stopped mid-backlog, or the test shows nothing.
  expect(taken).toBeGreaterThanOrEqual(10_000);
  expect(taken).toBeLessThan(RECORDS);

  const second = await startDetector(config);
  try {
    await waitForCatchUp(config.groupId, [config.topics.input.call], 180_000);
    expect(await callsProcessed(second)).toBe(RECORDS - taken);
  } finally {
    await stop(second);
  }
});

it("commits the group's offsets at SIGTERM, though its commits of the last second left them out", async () => {
  const codecs = projectCodecs();
  const config = isolatedConfig();
  await createTopicsFor(config);
  const encode = (from: number, n: number): { key: string; value: Buffer }[] =>
    Array.from({ length: n }, (_, i) => callEvent(`acct-offsets-${(from + i) % 50}`, T0 + (from + i) * 1_000)).map((e) => ({ key: e.accountId, value: codecs.events.call.encode(e, 'single-object') }));
  await produce(config.topics.input.call, encode(0, 2_000));
  const p = await startDetector(config);
  let stopped = false;
  try {
    // Caught up: the group's offsets are at the end (the quiet partition's tick committed them).
    await waitForCatchUp(config.groupId, [config.topics.input.call], 60_000);
    // More records at once: their fetch commits within the second after those offsets, so it leaves them out.
    await produce(config.topics.input.call, encode(2_000, 300));
    await until(async () => (await callsProcessed(p)) >= 2_300, 30_000, 'the second batch processed', [p]);
    expect(await stop(p)).toBe(0);
    stopped = true;
    // No process is left to commit them: the drain must have.
    await waitForCatchUp(config.groupId, [config.topics.input.call], 0);
  } finally {
    if (!stopped) await stop(p);
  }
});
