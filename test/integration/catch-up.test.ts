import { buildPipeline } from '../../src/app/build-pipeline';
import { defaultRules } from '../../src/detectors';
import { compilePolicy } from '../../src/policy/compile';
import { demoTraffic } from '../../src/simulate/demo-traffic';
import { startDetector } from '../helpers/detector-process';
import { byId, stop, verdictOf, verdictsOf } from '../helpers/eos-stream';
import { T0 } from '../helpers/events';
import { createTopicsFor, isolatedConfig, produce, waitForCatchUp } from '../helpers/kafka';
import { projectCodecs } from '../helpers/schemas';

/**
 * A backlog on every telemetry topic (a new deployment, a long outage): the
 * consumer fetches each topic in batches that span long stretches of event
 * time. Processed batch after batch, the calls would run the partition's
 * stream time far ahead of the messages, which would all be late. Merged in
 * event-time order, the run finds what a replay of the same events in time
 * order finds, and nothing is late.
 */
jest.setTimeout(240_000);

const codecs = projectCodecs();

it('catches up on a two-hour backlog of four topics as a replay in time order would', async () => {
  const { events } = demoTraffic({ accounts: 200, minutes: 120, startTime: T0, seed: 7 });
  const config = isolatedConfig();
  await createTopicsFor(config);
  for (const type of ['call', 'message', 'registration', 'report'] as const) {
    const of = events.filter((e) => e.type === type).map((e) => ({ key: e.accountId, value: codecs.events[e.type].encode(e, 'single-object') }));
    for (let i = 0; i < of.length; i += 5000) await produce(config.topics.input[type], of.slice(i, i + 5000));
  }

  const replayed = buildPipeline(compilePolicy(undefined, defaultRules()), config);
  const expected = byId(events.flatMap((e) => replayed.process(e, 0)).map(verdictOf));

  const detector = await startDetector(config);
  try {
    await waitForCatchUp(config.groupId, Object.values(config.topics.input), 180_000);
    const metrics = await (await fetch(`http://127.0.0.1:${detector.port}/metrics`)).text();
    expect(metrics).not.toMatch(/^abuse_late_events_total\{/m);
    expect(expected.length).toBeGreaterThan(20);
    expect(await verdictsOf(config)).toEqual(expected);
  } finally {
    await stop(detector);
  }
});
