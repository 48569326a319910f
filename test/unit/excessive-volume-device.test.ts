import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { DEVICE_VOLUME_RULES, deviceVolume } from '../../src/detectors/excessive-volume';
import type { PipelineObserver } from '../../src/engine/pipeline';
import type { TelemetryEvent, Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { callEvent, HOUR, messageEvent, MINUTE, T0 } from '../helpers/events';

const DAY = 24 * HOUR;

function run(events: TelemetryEvent[], policy?: unknown, observer?: PipelineObserver): Violation[] {
  const pipeline = buildPipeline(compilePolicy(policy, DEVICE_VOLUME_RULES), DEFAULT_PIPELINE_SETTINGS, observer, [deviceVolume]);
  return events.flatMap((e) => pipeline.process(e, 0));
}

const sorted = (events: TelemetryEvent[]): TelemetryEvent[] => [...events].sort((a, b) => a.eventTime - b.eventTime);
const callee = (i: number): string => `+1212555${String(1000 + (i % 9000)).padStart(4, '0')}`;

/** `perAccount` calls from each of `accounts` accounts on one device, interleaved evenly over `spanMs`. */
function sharedDeviceCalls(device: string, accounts: number, perAccount: number, start: number, spanMs: number): TelemetryEvent[] {
  const total = accounts * perAccount;
  return Array.from({ length: total }, (_, i) => callEvent(`acct-${i % accounts}`, start + Math.floor((i * spanMs) / total), { deviceId: device, to: callee(i) }));
}

function sharedDeviceMessages(device: string, accounts: number, perAccount: number, start: number, spanMs: number): TelemetryEvent[] {
  const total = accounts * perAccount;
  return Array.from({ length: total }, (_, i) => messageEvent(`acct-${i % accounts}`, start + Math.floor((i * spanMs) / total), { deviceId: device, to: callee(i) }));
}

const byRule = (vs: Violation[], rule: string): Violation[] => vs.filter((v) => v.rule === rule);

describe('EXCESSIVE_VOLUME per device', () => {
  it('flags every account of a device shared by 5 accounts that together pass the hourly call limit', () => {
    // 60 calls an account in the hour: far under the per-account 200, 300 together over the device's 250.
    const events = sharedDeviceCalls('dev-farm', 5, 60, T0, HOUR);
    const hourly = byRule(run(events), 'device_calls_per_hour');
    expect(hourly.map((v) => v.accountId).sort()).toEqual(['acct-0', 'acct-1', 'acct-2', 'acct-3', 'acct-4']);
    for (const v of hourly) {
      expect(v).toMatchObject({
        category: 'EXCESSIVE_VOLUME',
        severity: 'medium',
        action: 'throttle',
        windowStart: T0,
        windowEnd: T0 + HOUR,
        detectedAt: events[250]?.eventTime,
        metrics: { calls: 251, accounts: 5 },
        thresholds: { calls: 250 },
      });
      expect(v.evidence).toEqual(events.slice(241, 251).map((e) => e.eventId));
      // Neither the device id nor a number leaves the detector.
      expect(JSON.stringify(v)).not.toMatch(/dev-farm|\+1212/);
    }
    expect(run(events.slice(0, 250))).toEqual([]);
  });

  it('flags the per-minute and per-day call limits of a device', () => {
    const minute = sharedDeviceCalls('dev-m', 3, 9, T0, 50_000);
    expect(run(minute).map((v) => [v.rule, v.accountId, v.metrics])).toEqual(
      ['acct-0', 'acct-1', 'acct-2'].map((a) => ['device_calls_per_minute', a, { calls: 26, accounts: 3 }]),
    );
    // 2,100 calls over a day from 3 accounts: 700 each (under the per-account 1,500), under 250 an hour for the device.
    const day = sharedDeviceCalls('dev-d', 3, 700, T0 - 9 * HOUR, DAY - MINUTE);
    const daily = run(day);
    expect(daily.map((v) => v.rule)).toEqual(['device_calls_per_day', 'device_calls_per_day', 'device_calls_per_day']);
    expect(daily[0]).toMatchObject({ severity: 'high', action: 'suspend', metrics: { calls: 2001, accounts: 3 }, thresholds: { calls: 2000 } });
  });

  it('flags the per-minute, per-hour and per-day message limits of a device', () => {
    expect(run(sharedDeviceMessages('dev-m', 2, 76, T0, 50_000)).map((v) => [v.rule, v.metrics])).toEqual([
      ['device_messages_per_minute', { messages: 151, accounts: 2 }],
      ['device_messages_per_minute', { messages: 151, accounts: 2 }],
    ]);
    // 4 accounts × 320 an hour: each under the per-account 1,000.
    const hourly = byRule(run(sharedDeviceMessages('dev-h', 4, 320, T0, HOUR)), 'device_messages_per_hour');
    expect(hourly.map((v) => [v.accountId, v.metrics])).toEqual(['acct-0', 'acct-1', 'acct-2', 'acct-3'].map((a) => [a, { messages: 1251, accounts: 4 }]));
    // 2 accounts × 3,100 over a day: each under the per-account 5,000.
    const daily = byRule(run(sharedDeviceMessages('dev-d', 2, 3100, T0 - 9 * HOUR, DAY - MINUTE)), 'device_messages_per_day');
    expect(daily.map((v) => [v.accountId, v.severity, v.metrics])).toEqual([
      ['acct-0', 'high', { messages: 6001, accounts: 2 }],
      ['acct-1', 'high', { messages: 6001, accounts: 2 }],
    ]);
  });

  it('flags the one busy device of a single account', () => {
    const calls = Array.from({ length: 260 }, (_, i) => callEvent('solo', T0 + i * 10_000, { deviceId: 'dev-solo', to: callee(i) }));
    expect(run(calls).map((v) => [v.rule, v.accountId, v.metrics])).toEqual([['device_calls_per_hour', 'solo', { calls: 251, accounts: 1 }]]);
  });

  it('flags an account that joins an over-limit device later in the window once, and not the same account twice', () => {
    const over = sharedDeviceCalls('dev-x', 2, 130, T0, 30 * MINUTE);
    const late = [callEvent('latecomer', T0 + 40 * MINUTE, { deviceId: 'dev-x' }), callEvent('latecomer', T0 + 41 * MINUTE, { deviceId: 'dev-x' })];
    const again = callEvent('acct-0', T0 + 42 * MINUTE, { deviceId: 'dev-x' });
    const vs = run([...over, ...late, again]);
    expect(vs.map((v) => [v.accountId, v.detectedAt, v.metrics])).toEqual([
      ['acct-0', over[250]?.eventTime, { calls: 251, accounts: 2 }],
      ['acct-1', over[250]?.eventTime, { calls: 251, accounts: 2 }],
      ['latecomer', T0 + 40 * MINUTE, { calls: 261, accounts: 3 }],
    ]);
  });

  it('counts a call once, when dialled, not per phase', () => {
    const policy = { rules: { device_calls_per_hour: { threshold: 2 } } };
    const phases = (id: string): TelemetryEvent[] => (['start', 'answer', 'end'] as const).map((phase) => callEvent('a', T0, { phase, callId: id, deviceId: 'd' }));
    expect(run([...phases('1'), ...phases('2')], policy)).toEqual([]);
    expect(run([...phases('1'), ...phases('2'), ...phases('3')], policy).map((v) => v.metrics)).toEqual([{ calls: 3, accounts: 1 }]);
  });

  it('keeps devices apart', () => {
    const policy = { rules: { device_calls_per_hour: { threshold: 3 } } };
    const calls = ['d1', 'd2', 'd3'].flatMap((d) => Array.from({ length: 3 }, (_, i) => callEvent('one-account', T0 + i * MINUTE, { deviceId: d })));
    expect(run(calls, policy)).toEqual([]);
  });

  it('reports events for a replaced window as late', () => {
    const late: string[] = [];
    const observer: PipelineObserver = { event: () => undefined, finding: () => undefined, stateSize: () => undefined, evicted: () => undefined, late: (d, r) => late.push(`${d}/${r}`) };
    run([messageEvent('a', T0 + 2 * MINUTE, { deviceId: 'd' }), messageEvent('a', T0, { deviceId: 'd' })], undefined, observer);
    expect(late).toEqual(['excessive_volume_device/device_messages_per_minute']);
  });

  it('skips a rule that is off', () => {
    const policy = { rules: { device_calls_per_hour: { mode: 'off' } } };
    expect(run(sharedDeviceCalls('dev-farm', 5, 60, T0, HOUR), policy)).toEqual([]);
  });

  describe('legitimate look-alikes stay silent', () => {
    it('a family sharing one tablet: 3 accounts, modest use all day', () => {
      const events = sorted(
        ['mum', 'dad', 'kid'].flatMap((acct, a) => [
          ...Array.from({ length: 12 }, (_, i) => callEvent(acct, T0 + a * 7 * MINUTE + i * 53 * MINUTE, { deviceId: 'tablet', to: callee(a * 100 + (i % 5)) })),
          ...Array.from({ length: 60 }, (_, i) => messageEvent(acct, T0 + a * 3 * MINUTE + i * 11 * MINUTE, { deviceId: 'tablet', to: callee(a * 100 + (i % 7)) })),
        ]),
      );
      expect(run(events)).toEqual([]);
    });

    it('a heavy caller just under the per-account limits on one phone', () => {
      // 195 calls an hour for 7 hours: 1,365 a day.
      const calls = Array.from({ length: 7 * 195 }, (_, i) => callEvent('sales', T0 + Math.floor((i * 7 * HOUR) / (7 * 195)), { deviceId: 'phone', to: callee(i) }));
      expect(run(calls)).toEqual([]);
    });

    it('a heavy texter just under the per-account limits, group messages included', () => {
      // Group messages of 30 recipients in one second, 4 a minute (120 deliveries), 990 an hour, 4,950 a day.
      const events: TelemetryEvent[] = [];
      for (let h = 0; h < 5; h++) for (let i = 0; i < 990; i++) events.push(messageEvent('texter', T0 + h * HOUR + Math.floor(i / 30) * 105_000 + (i % 30), { deviceId: 'phone', to: callee(i % 30) }));
      expect(run(events)).toEqual([]);
    });

    it('two phones of one account, each busy, stay under the per-device limits', () => {
      const events = sorted(['phone', 'laptop'].flatMap((d, k) => Array.from({ length: 180 }, (_, i) => callEvent('two-devices', T0 + k * 7_000 + i * 19_000, { deviceId: d, to: callee(i) }))));
      expect(run(events)).toEqual([]);
    });
  });
});
