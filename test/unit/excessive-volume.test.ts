import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { defaultRules } from '../../src/detectors';
import { excessiveVolume } from '../../src/detectors/excessive-volume';
import type { Finding } from '../../src/detectors/types';
import type { PipelineObserver } from '../../src/engine/pipeline';
import type { TelemetryEvent, Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { callEvent, HOUR, messageBurst, MINUTE, T0 } from '../helpers/events';

/** The per-account volume detector alone: other detectors have their own tests (and scenario.test.ts runs them all). */
function runAll(events: TelemetryEvent[], policyOverrides?: unknown, observer?: PipelineObserver): Violation[] {
  const pipeline = buildPipeline(compilePolicy(policyOverrides, defaultRules()), DEFAULT_PIPELINE_SETTINGS, observer, [excessiveVolume]);
  return events.flatMap((e) => pipeline.process(e, 0));
}

describe('EXCESSIVE_VOLUME', () => {
  it('flags an account that sends 3,000 messages in an hour, with every contract field', () => {
    const violations = runAll(messageBurst('spammer', 3000, T0 + 30 * MINUTE, HOUR));
    const hourly = violations.filter((v) => v.rule === 'messages_per_hour');
    expect(hourly.length).toBeGreaterThanOrEqual(1);
    const v = hourly[0] as Violation;
    expect(v).toEqual({
      violationId: expect.stringMatching(/^v1-[0-9a-f]{32}$/),
      accountId: 'spammer',
      category: 'EXCESSIVE_VOLUME',
      rule: 'messages_per_hour',
      severity: 'medium',
      action: 'throttle',
      windowStart: T0,
      windowEnd: T0 + HOUR,
      detectedAt: expect.any(Number),
      metrics: { messages: 1001 },
      thresholds: { messages: 1000 },
      evidence: expect.any(Array),
      policyVersion: 'builtin-defaults',
    });
    expect(v.detectedAt).toBeGreaterThanOrEqual(v.windowStart);
    expect(v.detectedAt).toBeLessThan(v.windowEnd);
    expect(v.evidence.length).toBeGreaterThan(0);
    expect(v.evidence.length).toBeLessThanOrEqual(10);
  });

  it('flags nothing for five ordinary calls', () => {
    const calls = Array.from({ length: 5 }, (_, i) => callEvent('ordinary', T0 + i * 20 * MINUTE));
    expect(runAll(calls)).toEqual([]);
  });

  it('fires once per rule, account and window, the moment the threshold is crossed', () => {
    const policy = { rules: { calls_per_hour: { threshold: 3 } } };
    const calls = Array.from({ length: 10 }, (_, i) => callEvent('a', T0 + i * MINUTE));
    const violations = runAll(calls, policy).filter((v) => v.rule === 'calls_per_hour');
    expect(violations).toHaveLength(1);
    expect(violations[0]?.detectedAt).toBe(T0 + 3 * MINUTE);
    expect(violations[0]?.evidence).toEqual(calls.slice(0, 4).map((c) => c.eventId));
    // The next hour is a new window: it may fire again.
    const next = Array.from({ length: 4 }, (_, i) => callEvent('a', T0 + HOUR + i * MINUTE));
    expect(runAll([...calls, ...next], policy).filter((v) => v.rule === 'calls_per_hour')).toHaveLength(2);
  });

  it('counts a call once, when dialled, not per phase', () => {
    const policy = { rules: { calls_per_hour: { threshold: 2 } } };
    const call = (callId: string) => (['start', 'answer', 'end'] as const).map((phase) => callEvent('a', T0, { phase, callId }));
    // Two calls of three phases each: six events, two calls, under a limit of two.
    expect(runAll([...call('one'), ...call('two')], policy)).toEqual([]);
    expect(runAll([...call('one'), ...call('two'), ...call('three')], policy).map((v) => v.metrics)).toEqual([{ calls: 3 }]);
  });

  it('keeps accounts apart', () => {
    const policy = { rules: { calls_per_hour: { threshold: 3 } } };
    const calls = ['a', 'b', 'c', 'd'].flatMap((acct) => Array.from({ length: 3 }, (_, i) => callEvent(acct, T0 + i * MINUTE)));
    expect(runAll(calls, policy)).toEqual([]);
  });

  it('uses the thresholds and severity of the policy', () => {
    const policy = { version: 'p-7', rules: { messages_per_minute: { threshold: 5, severity: 'high', action: 'suspend' } } };
    const [v] = runAll(messageBurst('a', 6, T0, 1000), policy);
    expect(v).toMatchObject({ rule: 'messages_per_minute', severity: 'high', action: 'suspend', policyVersion: 'p-7', thresholds: { messages: 5 } });
  });

  it('evaluates but does not publish a rule in shadow mode, and skips a rule that is off', () => {
    const outcomes: string[] = [];
    const observer: PipelineObserver = { event: () => undefined, late: () => undefined, stateSize: () => undefined, evicted: () => undefined, finding: (f: Finding, o) => outcomes.push(`${f.rule}:${o}`) };
    const policy = { rules: { messages_per_minute: { threshold: 5, mode: 'shadow' }, messages_per_hour: { threshold: 5, mode: 'off' } } };
    expect(runAll(messageBurst('a', 10, T0, 1000), policy, observer)).toEqual([]);
    expect(outcomes).toEqual(['messages_per_minute:shadow']);
  });

  it('counts events for an already replaced window as late instead of losing them silently', () => {
    const late: string[] = [];
    const observer: PipelineObserver = { event: () => undefined, finding: () => undefined, stateSize: () => undefined, evicted: () => undefined, late: (d, r) => late.push(`${d}/${r}`) };
    runAll([callEvent('a', T0 + 2 * MINUTE), callEvent('a', T0)], undefined, observer);
    expect(late).toEqual(['excessive_volume/calls_per_minute']);
  });

  it('gives the same violation id to the same finding over the same data', () => {
    const burst = messageBurst('a', 200, T0, MINUTE);
    const first = runAll(burst).map((v) => v.violationId);
    const second = runAll(burst).map((v) => v.violationId);
    expect(first).toHaveLength(1);
    expect(second).toEqual(first);
  });
});

describe('policy reload', () => {
  it('keeps state alive for the longer windows of a reloaded policy', () => {
    const short = compilePolicy({ rules: Object.fromEntries(['calls_per_minute', 'calls_per_hour', 'calls_per_day', 'messages_per_minute', 'messages_per_hour', 'messages_per_day'].map((r) => [r, { windowMs: MINUTE }])) }, defaultRules());
    const pipeline = buildPipeline(short, { maxKeysPerDetector: 100, allowedDisorderMs: 0 });
    const reloaded = compilePolicy({ rules: { calls_per_hour: { threshold: 2 } } }, defaultRules());
    pipeline.process(callEvent('a', T0), 0);
    pipeline.setPolicy(reloaded);
    pipeline.process(callEvent('a', T0 + 30 * MINUTE), 0);
    pipeline.process(callEvent('other', T0 + 40 * MINUTE), 0);
    pipeline.sweep();
    // Under the one-minute TTL the first call would be gone; under the reloaded hour it still counts.
    expect(pipeline.process(callEvent('a', T0 + 50 * MINUTE), 0).map((v) => v.metrics)).toEqual([{ calls: 3 }]);
  });
});
