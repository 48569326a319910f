import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { defaultRules } from '../../src/detectors';
import { addDistinct, newDistinctCounter } from '../../src/engine/distinct-counter';
import type { TelemetryEvent, Violation } from '../../src/events/types';
import { impersonation } from '../../src/detectors/impersonation';
import { compilePolicy } from '../../src/policy/compile';
import { Random } from '../../src/simulate/random';
import { detectorContext } from '../helpers/detector-context';
import { callEvent, MINUTE, reportEvent, T0 } from '../helpers/events';

function run(events: TelemetryEvent[]): Violation[] {
  const pipeline = buildPipeline(compilePolicy(undefined, defaultRules()), DEFAULT_PIPELINE_SETTINGS);
  return events.flatMap((e) => pipeline.process(e, 0)).filter((v) => v.category === 'IMPERSONATION');
}

describe('distinct counter', () => {
  it('counts distinct values per window and saturates at its cap', () => {
    const c = newDistinctCounter();
    for (const v of ['a', 'b', 'a', 'c', 'd']) addDistinct(c, v, 10, 1000, 3);
    expect(c.values).toEqual(['a', 'b', 'c']);
    expect(addDistinct(c, 'z', 1500, 1000, 3)).toBe('counted');
    expect(c.values).toEqual(['z']);
    expect(addDistinct(c, 'y', 10, 1000, 3)).toBe('late');
  });
});

describe('IMPERSONATION', () => {
  it('flags a caller ID that changes across calls', () => {
    const spoofed = ['+12025550101', '+12025550102', '+12025550103'].map((id, i) => callEvent('spoofer', T0 + i * MINUTE, { presentedCallerId: id }));
    const [v, ...rest] = run(spoofed);
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ rule: 'caller_id_rotation', severity: 'high', action: 'suspend', metrics: { presentedCallerIds: 3 }, thresholds: { presentedCallerIds: 2 } });
    expect(v?.evidence).toEqual(spoofed.map((e) => e.eventId));
  });

  it('spares a business that always presents its one main number', () => {
    const calls = Array.from({ length: 200 }, (_, i) => callEvent('business', T0 + i * 10_000, { presentedCallerId: '+18005550100', to: `+1212555${String(1000 + i)}` }));
    expect(run(calls)).toEqual([]);
  });

  it('ignores a presented caller ID equal to the account number', () => {
    expect(run(Array.from({ length: 5 }, (_, i) => callEvent('a', T0 + i, { presentedCallerId: '+14155550100', from: '+14155550100' })))).toEqual([]);
  });

  it('flags attestation C at volume but not a few such calls', () => {
    const few = Array.from({ length: 30 }, (_, i) => callEvent('traveller', T0 + i * MINUTE, { attestation: 'C' }));
    expect(run(few)).toEqual([]);
    const many = Array.from({ length: 31 }, (_, i) => callEvent('gateway', T0 + i * 1000, { attestation: 'C' }));
    expect(run(many).map((v) => [v.rule, v.metrics])).toEqual([['unattested_calls', { calls: 31 }]]);
  });

  it('flags impersonation reports from several recipients, not one recipient reporting repeatedly', () => {
    const repeated = Array.from({ length: 5 }, (_, i) => reportEvent('a', T0 + i, { reason: 'impersonation', reporterNumber: '+12125550001' }));
    expect(run(repeated)).toEqual([]);
    const several = ['+12125550001', '+12125550002', '+12125550003'].map((n, i) => reportEvent('b', T0 + i, { reason: 'impersonation', reporterNumber: n }));
    expect(run(several).map((v) => v.rule)).toEqual(['impersonation_reports']);
    const spam = ['+12125550001', '+12125550002', '+12125550003'].map((n, i) => reportEvent('c', T0 + i, { reason: 'spam', reporterNumber: n }));
    expect(run(spam)).toEqual([]);
  });
});

describe('IMPERSONATION holds state only for what it counts', () => {
  const codec = impersonation.codec;
  const policy = compilePolicy(undefined, defaultRules([impersonation]));

  it('needsState is false exactly when onEvent would change nothing and find nothing (random calls and reports)', () => {
    const rnd = new Random(5);
    const state = impersonation.createState();
    let passedBy = 0;
    for (let i = 0; i < 3_000; i++) {
      const t = T0 + i * 10_000;
      const event: TelemetryEvent =
        rnd.next() < 0.2
          ? reportEvent('imp-model', t, { reason: rnd.pick(['impersonation', 'spam', 'harassment'] as const), reporterNumber: `+1312555${String(rnd.int(0, 30)).padStart(4, '0')}` })
          : callEvent('imp-model', t, {
              phase: rnd.pick(['start', 'answer', 'end'] as const),
              attestation: rnd.pick(['A', 'B', 'C'] as const),
              ...(rnd.next() < 0.3 ? { presentedCallerId: rnd.pick(['+14155550100', '+12025550101', '+12025550102']) } : {}),
            });
      const before = codec?.encode(state);
      const findings = impersonation.onEvent(state, event, detectorContext(policy, event.accountId));
      if (impersonation.needsState?.(event) === false) {
        passedBy++;
        expect({ i, findings, state: codec?.encode(state) }).toEqual({ i, findings: [], state: before });
      }
    }
    expect(passedBy).toBeGreaterThan(1_000);
  });

  it('an ordinary account (attested calls from its own number) has no impersonation state in the store', () => {
    const pipeline = buildPipeline(policy, DEFAULT_PIPELINE_SETTINGS, undefined, [impersonation]);
    for (const phase of ['start', 'answer', 'end'] as const) pipeline.process(callEvent('imp-ordinary', T0, { phase, attestation: 'A' }), 0);
    expect(pipeline.snapshot().detectors.flatMap((d) => d.entries)).toEqual([]);
    pipeline.process(callEvent('imp-ordinary', T0 + MINUTE, { attestation: 'C' }), 0);
    expect(pipeline.snapshot().detectors.flatMap((d) => d.entries.map((e) => e.key))).toEqual(['imp-ordinary']);
  });
});
