import { defaultRules } from '../../src/detectors';
import type { Finding } from '../../src/detectors/types';
import { Enforcer } from '../../src/enforcement/enforcer';
import { compilePolicy } from '../../src/policy/compile';
import { HOUR, MINUTE, T0 } from '../helpers/events';

const policy = compilePolicy({ enforcement: { cooldownMs: 6 * HOUR, escalationWindowMs: 7 * 24 * HOUR } }, defaultRules());

function finding(windowStart: number, overrides: Partial<Finding> = {}): Finding {
  return {
    accountId: 'acct-1',
    category: 'EXCESSIVE_VOLUME',
    rule: 'messages_per_minute',
    severity: 'medium',
    action: 'throttle',
    windowStart,
    windowEnd: windowStart + MINUTE,
    detectedAt: windowStart + 30_000,
    metrics: { messages: 121 },
    thresholds: { messages: 120 },
    evidence: ['e1'],
    ...overrides,
  };
}

describe('enforcement', () => {
  it('holds back a repeat within the cooldown unless it escalates, and climbs the ladder on repeats', () => {
    const e = new Enforcer(1000);
    const first = e.decide(finding(T0), policy);
    expect(first).toMatchObject({ kind: 'publish', violation: { severity: 'medium', action: 'throttle' } });
    // One minute later the next window fires again: one prior finding → one step up (suspend), so it is published.
    const second = e.decide(finding(T0 + MINUTE), policy);
    expect(second).toMatchObject({ kind: 'publish', violation: { severity: 'high', action: 'suspend', metrics: { messages: 121, priorFindings: 1 } } });
    const third = e.decide(finding(T0 + 2 * MINUTE), policy);
    expect(third).toMatchObject({ kind: 'publish', violation: { severity: 'critical', action: 'terminate' } });
    // The top of the ladder: nothing higher to climb to, so further repeats wait out the cooldown.
    expect(e.decide(finding(T0 + 3 * MINUTE), policy).kind).toBe('cooldown');
    expect(e.decide(finding(T0 + 7 * HOUR), policy)).toMatchObject({ kind: 'publish', violation: { action: 'terminate' } });
  });

  it('keeps rules and accounts apart, and forgets findings older than the escalation window', () => {
    const e = new Enforcer(1000);
    e.decide(finding(T0), policy);
    expect(e.decide(finding(T0, { rule: 'messages_per_hour' }), policy)).toMatchObject({ kind: 'publish', violation: { action: 'throttle' } });
    expect(e.decide(finding(T0, { accountId: 'acct-2' }), policy)).toMatchObject({ kind: 'publish', violation: { action: 'throttle' } });
    expect(e.decide(finding(T0 + 8 * 24 * HOUR), policy)).toMatchObject({ kind: 'publish', violation: { action: 'throttle' } });
  });

  it('never publishes the same violation id twice', () => {
    const e = new Enforcer(1000);
    expect(e.decide(finding(T0), policy).kind).toBe('publish');
    expect(e.decide(finding(T0), policy).kind).toBe('duplicate');
  });

  it('never lowers the severity a rule set on its own', () => {
    const e = new Enforcer(1000);
    e.decide(finding(T0, { severity: 'critical', action: 'warn' }), policy);
    expect(e.decide(finding(T0 + MINUTE, { severity: 'critical', action: 'warn' }), policy)).toMatchObject({ violation: { severity: 'critical', action: 'throttle' } });
  });
});
