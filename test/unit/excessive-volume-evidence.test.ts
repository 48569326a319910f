import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { defaultRules } from '../../src/detectors';
import { deviceVolume, excessiveVolume } from '../../src/detectors/excessive-volume';
import type { Finding } from '../../src/detectors/types';
import { NOOP_OBSERVER } from '../../src/engine/pipeline';
import type { CallEvent, MessageEvent } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { callEvent, messageEvent, MINUTE, T0 } from '../helpers/events';
import { Random } from '../../src/simulate/random';

/**
 * The volume detectors keep event ids only near a limit. Their evidence must
 * still be what a ring of the last ten events of the kind, kept always, gives:
 * those of the finding's window, in arrival order.
 */
const CAPACITY = 10;
const LOW_LIMITS = {
  rules: {
    calls_per_minute: { threshold: 6 },
    calls_per_hour: { threshold: 25 },
    messages_per_minute: { threshold: 12 },
    messages_per_hour: { threshold: 40 },
    device_calls_per_minute: { threshold: 9 },
    device_calls_per_hour: { threshold: 35 },
    device_messages_per_minute: { threshold: 15 },
    device_messages_per_hour: { threshold: 60 },
  },
};

type Counted = CallEvent | MessageEvent;

/** Bursts and lulls from three accounts on two devices, with stragglers up to two minutes late. */
function traffic(seed: number): Counted[] {
  const rnd = new Random(seed);
  const out: Counted[] = [];
  let t = T0;
  for (let i = 0; i < 3_000; i++) {
    t += rnd.next() < 0.1 ? rnd.int(0, 5 * MINUTE) : rnd.int(0, 4_000);
    const accountId = `acct-${rnd.int(0, 3)}`;
    const deviceId = `dev-${rnd.int(0, 2)}`;
    const at = rnd.next() < 0.05 ? t - rnd.int(0, 2 * MINUTE) : t;
    out.push(rnd.next() < 0.5 ? callEvent(accountId, at, { deviceId, eventId: `e${i}` }) : messageEvent(accountId, at, { deviceId, eventId: `e${i}` }));
  }
  return out;
}

describe('EXCESSIVE_VOLUME evidence, kept only near a limit', () => {
  it.each([1, 2, 3])('is what an always-kept ring of the last ten events gives, for account and device findings (seed %i)', (seed) => {
    const findings: Finding[] = [];
    const pipeline = buildPipeline(compilePolicy(LOW_LIMITS, defaultRules()), DEFAULT_PIPELINE_SETTINGS, { ...NOOP_OBSERVER, finding: (f) => findings.push(f) }, [excessiveVolume, deviceVolume]);
    // The reference: every counted event of a kind, per account and per device, in arrival order.
    const seen = new Map<string, Counted[]>();
    let checked = 0;
    for (const event of traffic(seed)) {
      for (const key of [`a:${event.accountId}`, `d:${event.deviceId}`]) {
        const list = seen.get(`${key}:${event.type}`) ?? [];
        list.push(event);
        seen.set(`${key}:${event.type}`, list);
      }
      const before = findings.length;
      pipeline.process(event, 0);
      for (const f of findings.slice(before)) {
        const key = f.rule.startsWith('device_') ? `d:${event.deviceId}` : `a:${event.accountId}`;
        const kind = f.rule.includes('calls') ? 'call' : 'message';
        const expected = (seen.get(`${key}:${kind}`) ?? [])
          .slice(-CAPACITY)
          .filter((e) => e.eventTime >= f.windowStart)
          .map((e) => e.eventId);
        expect({ rule: f.rule, evidence: f.evidence }).toEqual({ rule: f.rule, evidence: expected });
        checked++;
      }
    }
    // Enough findings of both detectors, including device findings for accounts that joined after the crossing.
    expect(checked).toBeGreaterThan(50);
    expect(findings.some((f) => f.rule.startsWith('device_'))).toBe(true);
  });

  it('keeps no ids far from every limit, the last ones near a limit, and lets go of them once far again', () => {
    // Default limits: 20 calls a minute, so ids are kept from the 11th call of a minute on.
    const pipeline = buildPipeline(compilePolicy(undefined, defaultRules()), { ...DEFAULT_PIPELINE_SETTINGS, trackChanges: true }, undefined, [excessiveVolume]);
    // An empty ring is left out of the record (version 2): no ids.
    const ids = (): unknown => (pipeline.takeChanges().keys[0]?.[1]?.excessive_volume?.s as { calls: { recent?: { ids: string[] } } }).calls.recent?.ids ?? [];
    const burst = Array.from({ length: 15 }, (_, i) => callEvent('bursty', T0 + i * 1_000));
    for (const e of burst.slice(0, 10)) pipeline.process(e, 0);
    expect(ids()).toEqual([]);
    for (const e of burst.slice(10)) pipeline.process(e, 0);
    expect(ids()).toEqual(burst.slice(10).map((e) => e.eventId));
    // A lone call two hours on: every window is fresh, and the ring is emptied.
    pipeline.process(callEvent('bursty', T0 + 120 * MINUTE), 0);
    expect(ids()).toEqual([]);
  });
});
