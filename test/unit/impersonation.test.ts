import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { defaultRules } from '../../src/detectors';
import { addDistinct, newDistinctCounter } from '../../src/engine/distinct-counter';
import type { TelemetryEvent, Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
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
