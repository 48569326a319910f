import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { FRAUDULENT_REGISTRATION_DETECTORS, FRAUDULENT_REGISTRATION_RULES } from '../../src/detectors/fraudulent-registration';
import { addRegistration, newBurst } from '../../src/detectors/fraudulent-registration/burst';
import { MAX_BURST_ACCOUNTS, MAX_BURST_DEVICES, MAX_EVENT_IDS_PER_ACCOUNT } from '../../src/detectors/fraudulent-registration/rules';
import { NOOP_OBSERVER } from '../../src/engine/pipeline';
import type { Finding } from '../../src/detectors/types';
import type { RegistrationEvent, Verification, Violation } from '../../src/events/types';
import { validateEvent } from '../../src/events/validate';
import { compilePolicy } from '../../src/policy/compile';
import { scenario } from '../scenarios/fraudulent-registration';
import { HOUR, MINUTE, registrationEvent, T0 } from '../helpers/events';

const DAY = 24 * HOUR;

/** A registration with its own device, address and number unless the test shares them. */
function reg(accountId: string, at: number, overrides: Partial<RegistrationEvent> = {}): RegistrationEvent {
  return registrationEvent(accountId, at, { deviceId: `dev-${accountId}`, ipAddress: `ip-${accountId}`, phoneNumber: `num-${accountId}`, ...overrides });
}

/** Violations published, plus every finding the detectors made (the enforcer drops repeats; the detectors must not make them). */
function run(events: RegistrationEvent[], rawPolicy?: unknown): { violations: Violation[]; findings: Finding[]; late: string[] } {
  const late: string[] = [];
  const findings: Finding[] = [];
  const observer = { ...NOOP_OBSERVER, late: (_d: string, rule: string) => void late.push(rule), finding: (f: Finding) => void findings.push(f) };
  const pipeline = buildPipeline(compilePolicy(rawPolicy, FRAUDULENT_REGISTRATION_RULES), DEFAULT_PIPELINE_SETTINGS, observer, FRAUDULENT_REGISTRATION_DETECTORS);
  const violations = events.flatMap((e) => pipeline.process(e, 0));
  for (const v of violations) expect(v.category).toBe('FRAUDULENT_REGISTRATION');
  return { violations, findings, late };
}

/** Each account found at most once per rule and window. */
function expectOncePerAccount(events: RegistrationEvent[]): void {
  const keys = run(events).findings.map((f) => `${f.rule} ${f.accountId} ${f.windowStart}`);
  expect(keys.length).toBeGreaterThan(0);
  expect(keys).toEqual([...new Set(keys)]);
}

const violationsOf = (events: RegistrationEvent[], rawPolicy?: unknown): Violation[] => run(events, rawPolicy).violations;
const ofRule = (vs: Violation[], rule: string): Violation[] => vs.filter((v) => v.rule === rule);
const accounts = (vs: Violation[]): string[] => vs.map((v) => v.accountId);

/** A farm: `count` accounts on one address from `devices` devices within `spanMs`, the verification of account i from `verification(i)`. */
function farm(prefix: string, count: number, devices: number, spanMs: number, verification: (i: number) => Verification, start = T0 + 5 * MINUTE): RegistrationEvent[] {
  return Array.from({ length: count }, (_, i) =>
    reg(`${prefix}${i}`, start + Math.floor((i * spanMs) / count), { deviceId: `${prefix}dev-${i % devices}`, ipAddress: `${prefix}ip`, verification: verification(i) }),
  );
}

const mostlyFailed = (i: number): Verification => (i % 5 === 4 ? 'verified' : i % 2 === 0 ? 'failed' : 'skipped');

describe('FRAUDULENT_REGISTRATION defaults', () => {
  it('declare each rule in exactly one detector, and nothing else', () => {
    const declared = FRAUDULENT_REGISTRATION_DETECTORS.flatMap((d) => Object.keys(d.defaults));
    expect(declared.sort()).toEqual(Object.keys(FRAUDULENT_REGISTRATION_RULES).sort());
  });
});

describe('burst state', () => {
  it('is bounded per key and window, and a full burst still evaluates newcomers', () => {
    const burst = newBurst();
    for (let i = 0; i < 100; i++) addRegistration(burst, reg(`cap-${i}`, T0 + i, { deviceId: `cap-dev-${i}` }), HOUR);
    for (let i = 0; i < 10; i++) addRegistration(burst, reg('cap-0', T0 + 200 + i), HOUR);
    expect(burst.members).toHaveLength(MAX_BURST_ACCOUNTS);
    expect(burst.devices).toHaveLength(MAX_BURST_DEVICES);
    expect(burst.members[0]?.eventIds).toHaveLength(MAX_EVENT_IDS_PER_ACCOUNT);
    const newcomer = addRegistration(burst, reg('cap-new', T0 + 300, { verification: 'failed' }), HOUR);
    expect(newcomer).toMatchObject({ accountId: 'cap-new', kept: false, verified: false, failures: 1 });
    expect(addRegistration(burst, reg('cap-old', T0 - HOUR), HOUR)).toBe('late');
  });

  it('flags accounts past the cap as they arrive, once each after de-duplication', () => {
    const many = Array.from({ length: 80 }, (_, i) => reg(`many-${i}`, T0 + i * 10_000, { deviceId: 'dev-many' }));
    const vs = ofRule(violationsOf([...many, reg('many-79', T0 + 30 * MINUTE, { deviceId: 'dev-many' })]), 'registrations_per_device');
    expect(accounts(vs)).toEqual(many.map((e) => e.accountId));
  });
});

describe('registrations_per_device', () => {
  it('flags a device cycling accounts, every account of the burst, the earlier ones too, each once', () => {
    const cycle = Array.from({ length: 6 }, (_, i) => reg(`cycler-${i}`, T0 + i * 20 * MINUTE, { deviceId: 'dev-cycler' }));
    const vs = ofRule(violationsOf(cycle), 'registrations_per_device');
    expect(accounts(vs)).toEqual(['cycler-0', 'cycler-1', 'cycler-2', 'cycler-3', 'cycler-4', 'cycler-5']);
    // The first four are found together when the fourth account arrives; the later ones as they arrive.
    expect(vs.map((v) => v.detectedAt)).toEqual([cycle[3], cycle[3], cycle[3], cycle[3], cycle[4], cycle[5]].map((e) => e?.eventTime));
    expect(vs[0]).toMatchObject({ severity: 'high', action: 'suspend', metrics: { accounts: 4, verifiedShare: 1 }, thresholds: { accounts: 3 } });
    expect(vs[0]?.windowEnd).toBe((vs[0]?.windowStart ?? 0) + DAY);
    // Each account's evidence starts with its own registration and stays bounded.
    vs.forEach((v, i) => {
      expect(v.evidence[0]).toBe(cycle[i]?.eventId);
      expect(v.evidence.length).toBeLessThanOrEqual(10);
    });
    // A flagged account registering again in the same window is not found again.
    expectOncePerAccount([...cycle, reg('cycler-0', T0 + 3 * HOUR, { deviceId: 'dev-cycler' })]);
  });

  it('never puts a device id, an address or a phone number into a violation', () => {
    const cycle = Array.from({ length: 6 }, (_, i) => reg(`leak-${i}`, T0 + i * MINUTE, { deviceId: 'dev-leak', ipAddress: 'ip-leak', verification: 'failed' }));
    const vs = violationsOf(cycle);
    expect(vs.length).toBeGreaterThan(0);
    const text = JSON.stringify(vs.map((v) => [v.metrics, v.thresholds, v.evidence]));
    expect(text).not.toMatch(/dev-|ip-|num-|\+\d/);
  });

  it('spares a phone reinstalled twice in a week on one device', () => {
    const sameAccount = [0, 3, 6].map((d) => reg('reinstaller', T0 + d * DAY, { deviceId: 'dev-phone', ipAddress: 'ip-home' }));
    expect(violationsOf(sameAccount)).toEqual([]);
    // Even if each reinstall came back as a new account, three in a week stay within the limit.
    const newAccounts = [0, 3, 6].map((d) => reg(`reinstalled-${d}`, T0 + d * DAY, { deviceId: 'dev-phone', ipAddress: 'ip-home' }));
    expect(violationsOf(newAccounts)).toEqual([]);
  });

  it('spares a reinstall with a mistyped code, re-registering the same account within a day', () => {
    const events = [reg('r', T0), reg('r', T0 + HOUR, { verification: 'failed' }), reg('r', T0 + HOUR + MINUTE), reg('r', T0 + 5 * HOUR)];
    expect(violationsOf(events.map((e) => ({ ...e, deviceId: 'dev-r2' })))).toEqual([]);
  });

  it('starts over in the next window and reports a registration for a replaced window as late', () => {
    const dayStart = T0 - 9 * HOUR; // T0 is 09:00 UTC
    const events = [
      ...[1, 2, 3].map((i) => reg(`w-${i}`, dayStart + DAY - i * HOUR, { deviceId: 'dev-w' })),
      ...[4, 5, 6].map((i) => reg(`w-${i}`, dayStart + DAY + i * MINUTE, { deviceId: 'dev-w' })),
    ];
    const straggler = reg('w-7', dayStart + DAY - 30 * 1000, { deviceId: 'dev-w' });
    const { violations, late } = run([...events, straggler]);
    expect(violations).toEqual([]);
    expect(late).toContain('registrations_per_device');
  });

  it('stays silent when the rule is off', () => {
    const cycle = Array.from({ length: 6 }, (_, i) => reg(`off-${i}`, T0 + i * MINUTE, { deviceId: 'dev-off' }));
    expect(ofRule(violationsOf(cycle, { rules: { registrations_per_device: { mode: 'off' } } }), 'registrations_per_device')).toEqual([]);
  });
});

describe('registration_verification_failures', () => {
  it('flags a device whose accounts keep failing verification, the earlier accounts too, each once', () => {
    const events = [
      reg('f-a', T0, { deviceId: 'dev-f', verification: 'failed' }),
      reg('f-a', T0 + MINUTE, { deviceId: 'dev-f', verification: 'skipped' }),
      reg('f-b', T0 + 2 * MINUTE, { deviceId: 'dev-f', verification: 'failed' }),
      reg('f-c', T0 + 3 * MINUTE, { deviceId: 'dev-f', verification: 'skipped' }),
      reg('f-a', T0 + 4 * MINUTE, { deviceId: 'dev-f', verification: 'failed' }),
    ];
    const vs = ofRule(violationsOf(events), 'registration_verification_failures');
    expect(accounts(vs)).toEqual(['f-a', 'f-b', 'f-c']);
    expect(vs.every((v) => v.detectedAt === events[3]?.eventTime)).toBe(true);
    expect(vs[0]).toMatchObject({ severity: 'medium', action: 'throttle', metrics: { failedAttempts: 4, unverifiedAccounts: 3, accounts: 3 }, thresholds: { failedAttempts: 3 } });
    expectOncePerAccount(events);
  });

  it('flags a later failing account of the same window when it arrives, and spares one that verifies', () => {
    const events = [
      ...[0, 1, 2, 3].map((i) => reg('g-a', T0 + i * MINUTE, { deviceId: 'dev-g', verification: 'failed' })),
      reg('g-ok', T0 + 10 * MINUTE, { deviceId: 'dev-g' }),
      // g-a finally verifies: the count drops, but the burst of this window was already found.
      reg('g-a', T0 + 15 * MINUTE, { deviceId: 'dev-g' }),
      reg('g-late', T0 + 20 * MINUTE, { deviceId: 'dev-g', verification: 'failed' }),
    ];
    const vs = ofRule(violationsOf(events), 'registration_verification_failures');
    expect(accounts(vs)).toEqual(['g-a', 'g-late']);
    expect(vs[1]?.detectedAt).toBe(events[6]?.eventTime);
  });

  it('spares a person who mistypes the code once, or three times, and then verifies', () => {
    expect(violationsOf([reg('typo', T0, { verification: 'failed' }), reg('typo', T0 + MINUTE)])).toEqual([]);
    const slow = [0, 1, 2].map((i) => reg('slow', T0 + i * MINUTE, { verification: 'failed' }));
    expect(violationsOf([...slow, reg('slow', T0 + 5 * MINUTE)])).toEqual([]);
  });

  it('spares a phone reinstalled and re-verified, mistyping the code each time', () => {
    const first = [0, 1, 2].map((i) => reg('clumsy', T0 + i * MINUTE, { verification: 'failed' }));
    const again = [reg('clumsy', T0 + 3 * MINUTE), reg('clumsy', T0 + 8 * HOUR, { verification: 'failed' }), reg('clumsy', T0 + 8 * HOUR + MINUTE)];
    expect(violationsOf([...first, ...again])).toEqual([]);
  });

  it('spares a family on one shared tablet where each mistypes once and then verifies', () => {
    const family = ['mum', 'dad', 'kid'].flatMap((name, i) => [
      reg(name, T0 + i * 10 * MINUTE, { deviceId: 'dev-tablet', ipAddress: 'ip-family', verification: 'failed' }),
      reg(name, T0 + i * 10 * MINUTE + MINUTE, { deviceId: 'dev-tablet', ipAddress: 'ip-family' }),
    ]);
    expect(violationsOf(family)).toEqual([]);
  });

  it('spares a couple sharing a phone: one verifies after three mistypes, the other still waits for a code', () => {
    const couple = [
      ...[0, 1, 2].map((i) => reg('partner-1', T0 + i * MINUTE, { deviceId: 'dev-shared', verification: 'failed' })),
      reg('partner-1', T0 + 3 * MINUTE, { deviceId: 'dev-shared' }),
      reg('partner-2', T0 + 10 * MINUTE, { deviceId: 'dev-shared', verification: 'failed' }),
    ];
    expect(violationsOf(couple)).toEqual([]);
  });
});

describe('failed_number_registration', () => {
  it('flags every account that fails verification of one number, across devices and addresses, each once', () => {
    const number = '+15005550006';
    const events = [
      reg('n-a', T0, { phoneNumber: number, verification: 'failed' }),
      reg('n-b', T0 + HOUR, { phoneNumber: number, verification: 'skipped' }),
      reg('n-a', T0 + 2 * HOUR, { phoneNumber: number, verification: 'failed' }),
      reg('n-c', T0 + 3 * HOUR, { phoneNumber: number, verification: 'failed' }),
      reg('n-d', T0 + 4 * HOUR, { phoneNumber: number, verification: 'failed' }),
      reg('n-c', T0 + 5 * HOUR, { phoneNumber: number, verification: 'failed' }),
    ];
    const vs = ofRule(violationsOf(events), 'failed_number_registration');
    expect(accounts(vs)).toEqual(['n-a', 'n-b', 'n-c', 'n-d']);
    expect(vs.map((v) => v.detectedAt)).toEqual([3, 3, 3, 4].map((i) => events[i]?.eventTime));
    expect(vs[0]).toMatchObject({ severity: 'medium', action: 'throttle', metrics: { failedAttempts: 4, unverifiedAccounts: 3 }, thresholds: { failedAttempts: 3 } });
    // n-a's evidence: its own two attempts first.
    expect(vs[0]?.evidence.slice(0, 2)).toEqual([events[0]?.eventId, events[2]?.eventId]);
    expectOncePerAccount(events);
  });

  it('flags one account whose number repeatedly fails', () => {
    const events = [0, 1, 2, 3].map((i) => reg('liar', T0 + i * 10 * MINUTE, { verification: i === 2 ? 'skipped' : 'failed' }));
    expect(accounts(ofRule(violationsOf(events), 'failed_number_registration'))).toEqual(['liar']);
  });

  it('never flags the account that verified the number', () => {
    const number = '+15005550007';
    const events = [
      ...[0, 1, 2, 3].map((i) => reg(`squatter-${i}`, T0 + i * MINUTE, { phoneNumber: number, verification: 'failed' })),
      reg('holder', T0 + HOUR, { phoneNumber: number }),
    ];
    const vs = ofRule(violationsOf(events), 'failed_number_registration');
    expect(accounts(vs)).toEqual(['squatter-0', 'squatter-1', 'squatter-2', 'squatter-3']);
  });

  it('spares a person who mistypes the code once and then verifies', () => {
    expect(violationsOf([reg('p', T0, { verification: 'failed' }), reg('p', T0 + 2 * MINUTE)])).toEqual([]);
  });
});

describe('registrations_per_ip', () => {
  it('flags a farm on one address, every account of the burst, the earlier ones too, each once', () => {
    const events = farm('farm-', 15, 2, 20 * MINUTE, mostlyFailed);
    const vs = ofRule(violationsOf(events), 'registrations_per_ip');
    expect(accounts(vs)).toEqual(events.map((e) => e.accountId));
    expectOncePerAccount(events);
    // Found when the eleventh account arrives; the first eleven together, the rest as they arrive.
    expect(vs.slice(0, 11).every((v) => v.detectedAt === events[10]?.eventTime)).toBe(true);
    expect(vs.slice(11).map((v) => v.detectedAt)).toEqual(events.slice(11).map((e) => e.eventTime));
    expect(vs[0]).toMatchObject({
      severity: 'high',
      action: 'suspend',
      metrics: { accounts: 11, devices: 2, verifiedShare: 0.182, accountsPerDevice: 5.5 },
      thresholds: { accounts: 10, verifiedShare: 0.5, accountsPerDevice: 2 },
    });
    expect(vs[0]?.windowEnd).toBe((vs[0]?.windowStart ?? 0) + HOUR);
    // The devices themselves cycle accounts too.
    expect(new Set(accounts(ofRule(violationsOf(farm('farm2-', 15, 2, 20 * MINUTE, mostlyFailed)), 'registrations_per_device'))).size).toBe(15);
  });

  it('flags a verified SIM farm cycling accounts through few devices', () => {
    const vs = ofRule(violationsOf(farm('sim-', 12, 3, 40 * MINUTE, () => 'verified')), 'registrations_per_ip');
    expect(vs).toHaveLength(12);
    expect(vs[0]?.thresholds).toEqual({ accounts: 10, accountsPerDevice: 2 });
  });

  it('flags a farm of one-shot devices that fail verification', () => {
    const vs = ofRule(violationsOf(farm('emu-', 12, 12, 30 * MINUTE, (i) => (i % 4 === 0 ? 'verified' : 'failed'))), 'registrations_per_ip');
    // The three that verified on their own device are not distinguishable from bystanders and are spared.
    expect(accounts(vs).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `emu-${i}`).filter((_, i) => i % 4 !== 0).sort());
    expect(vs[0]?.thresholds).toEqual({ accounts: 10, verifiedShare: 0.5 });
  });

  it('spares a household registering three accounts on one network over an evening', () => {
    const evening = T0 + 9 * HOUR;
    const household = ['h-1', 'h-2', 'h-3'].map((a, i) => reg(a, evening + i * 70 * MINUTE, { ipAddress: 'ip-household' }));
    expect(violationsOf(household)).toEqual([]);
  });

  it('spares a carrier NAT: 200 devices spread over a day, verified', () => {
    const cgnat = Array.from({ length: 200 }, (_, i) => reg(`cgnat-${i}`, T0 + Math.floor((i * DAY) / 200), { ipAddress: 'ip-cgnat' }));
    expect(violationsOf(cgnat)).toEqual([]);
  });

  it('spares a carrier NAT at its peak hour: many accounts, each on its own device, verifying (some after a mistype)', () => {
    const peak = Array.from({ length: 40 }, (_, i) => reg(`peak-${i}`, T0 + i * 80_000, { ipAddress: 'ip-cgnat' }));
    const typos = peak.filter((_, i) => i % 10 === 0).map((e) => ({ ...e, eventId: `${e.eventId}-typo`, eventTime: e.eventTime - 20_000, verification: 'failed' as const }));
    expect(violationsOf([...typos, ...peak].sort((a, b) => a.eventTime - b.eventTime))).toEqual([]);
  });

  it('spares failing registrations on one address that are spread over hours, not a burst', () => {
    const spread = farm('spread-', 16, 16, 4 * HOUR, () => 'failed');
    expect(ofRule(violationsOf(spread), 'registrations_per_ip')).toEqual([]);
  });

  it('spares carrier-NAT customers who verify on their own device during a farm burst on the same address', () => {
    const farmEvents = farm('mixed-', 12, 2, 20 * MINUTE, () => 'failed');
    const bystanders = [0, 1, 2].map((i) => reg(`bystander-${i}`, T0 + 6 * MINUTE + i * 5 * MINUTE, { ipAddress: 'mixed-ip' }));
    const vs = violationsOf([...farmEvents, ...bystanders].sort((a, b) => a.eventTime - b.eventTime));
    expect(accounts(ofRule(vs, 'registrations_per_ip')).sort()).toEqual(farmEvents.map((e) => e.accountId).sort());
    expect(accounts(vs).filter((a) => a.startsWith('bystander'))).toEqual([]);
  });

  it('follows the policy: shape params can be tuned', () => {
    const sim = farm('tuned-', 12, 3, 40 * MINUTE, () => 'verified');
    expect(ofRule(violationsOf(sim, { rules: { registrations_per_ip: { params: { maxAccountsPerDevice: 4 } } } }), 'registrations_per_ip')).toEqual([]);
  });
});

describe('FRAUDULENT_REGISTRATION scenario', () => {
  const personas = scenario.personas(T0);
  const events = personas.flatMap((p) => p.events).sort((a, b) => a.eventTime - b.eventTime);

  it('is valid contract traffic within one day after t0', () => {
    for (const e of events) {
      expect(validateEvent(JSON.parse(JSON.stringify(e)))).toEqual(e);
      expect(e.eventTime).toBeGreaterThanOrEqual(T0);
      expect(e.eventTime).toBeLessThan(T0 + DAY);
    }
    for (const p of personas) expect(p.events.every((e) => e.accountId === p.accountId && e.type === 'registration')).toBe(true);
  });

  it.each([T0, T0 + 17 * MINUTE, T0 + 14 * HOUR + 59 * MINUTE])('flags every abusive persona and no legitimate one (t0 = %p)', (t0) => {
    const shifted = scenario.personas(t0);
    const registrations = shifted.flatMap((p) => p.events).filter((e): e is RegistrationEvent => e.type === 'registration');
    const flagged = new Set(accounts(violationsOf(registrations.sort((a, b) => a.eventTime - b.eventTime))));
    expect(shifted.filter((p) => p.kind === 'abusive' && !flagged.has(p.accountId)).map((p) => p.label)).toEqual([]);
    expect(shifted.filter((p) => p.kind === 'legitimate' && flagged.has(p.accountId)).map((p) => p.label)).toEqual([]);
    expect(shifted.filter((p) => p.kind === 'abusive')).toHaveLength(25);
  });
});
