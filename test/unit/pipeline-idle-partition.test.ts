import { buildPipeline } from '../../src/app/build-pipeline';
import { defaultRules } from '../../src/detectors';
import { excessiveVolume } from '../../src/detectors/excessive-volume';
import type { PipelineObserver } from '../../src/engine/pipeline';
import { compilePolicy } from '../../src/policy/compile';
import { callEvent, HOUR, MINUTE, T0 } from '../helpers/events';

/**
 * State expires against the lowest watermark of the partitions a process
 * owns; a partition that goes quiet must not hold that back for ever (Flink's
 * idleness), or memory grows with every account ever seen.
 */
function run(idleTimeoutMs: number): number {
  let evicted = 0;
  const observer: PipelineObserver = { event: () => undefined, late: () => undefined, finding: () => undefined, stateSize: () => undefined, evicted: (_d, reason, n) => (evicted += reason === 'ttl' ? n : 0) };
  const pipeline = buildPipeline(compilePolicy(undefined, defaultRules()), { maxKeysPerDetector: 1000, allowedDisorderMs: 0, idleTimeoutMs }, observer, [excessiveVolume]);
  // Partition 1 speaks once, then goes quiet; partition 0 runs on for three days of event (and processing) time.
  pipeline.process(callEvent('quiet-partition-account', T0), 1, T0);
  pipeline.process(callEvent('old-account', T0), 0, T0);
  for (let t = T0 + MINUTE; t <= T0 + 72 * HOUR; t += 10 * MINUTE) pipeline.process(callEvent('busy-account', t, { to: `+1212555${1000 + ((t / MINUTE) % 9000)}` }), 0, t);
  pipeline.sweep();
  return evicted;
}

describe('an idle partition', () => {
  it('stops holding back state expiry once idle for the timeout', () => {
    // The day-long rules keep state for a day after its last event: both old accounts expire.
    expect(run(5 * MINUTE)).toBe(2);
  });

  it('holds expiry back while it is not yet idle', () => {
    expect(run(Number.POSITIVE_INFINITY)).toBe(0);
  });
});
