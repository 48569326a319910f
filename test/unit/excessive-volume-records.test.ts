import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { defaultRules } from '../../src/detectors';
import { DEVICE_VOLUME_RULES, deviceVolume, excessiveVolume } from '../../src/detectors/excessive-volume';
import type { DeviceVolumeData, VolumeStateData } from '../../src/detectors/excessive-volume/codec';
import type { Pipeline } from '../../src/engine/pipeline';
import type { KeyState } from '../../src/engine/state-changes';
import type { TelemetryEvent } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { callEvent, messageBurst, messageEvent, MINUTE, T0 } from '../helpers/events';

const DEVICE = 'device:codec-phone';
const fresh = (): Pipeline =>
  buildPipeline(compilePolicy(undefined, DEVICE_VOLUME_RULES), { ...DEFAULT_PIPELINE_SETTINGS, trackChanges: true }, undefined, [deviceVolume]);

/** The device's record as the pipeline would commit it (encode's plain data, version and time). */
function deviceRecord(p: Pipeline): KeyState[string] {
  const record = p.takeChanges().keys.find(([key]) => key === DEVICE)?.[1]?.excessive_volume_device;
  if (record === undefined) throw new Error('the device has no record');
  return record;
}

/** The same record in version 1's form: every rule's list spelled out, with its counter's window and `fired: false`. */
function asVersion1(data: DeviceVolumeData): unknown {
  let previous: string[] = [];
  const kind = (k: DeviceVolumeData['calls']): unknown => {
    if (k === undefined) return undefined;
    const windows: Record<string, unknown> = {};
    for (const [rule, w] of Object.entries(k.windows)) {
      previous = w.accounts ?? previous;
      windows[rule] = { count: w.count, accounts: { windowStart: w.count.windowStart, values: [...previous], fired: false } };
    }
    return { windows, recent: k.recent };
  };
  return JSON.parse(JSON.stringify({ calls: kind(data.calls), messages: kind(data.messages) })) as unknown;
}

const phone = (account: string, at: number, type: 'call' | 'message'): TelemetryEvent =>
  type === 'call' ? callEvent(account, at, { deviceId: 'codec-phone' }) : messageEvent(account, at, { deviceId: 'codec-phone' });

describe('excessive_volume_device changelog records (version 2)', () => {
  it('writes one account list where all six are the same, and a list wherever it differs from the one before', () => {
    const p = fresh();
    // One account: calls and messages; every list holds it.
    for (const e of [phone('acct-a', T0, 'call'), phone('acct-a', T0 + 1000, 'message')]) p.process(e, 0);
    const one = deviceRecord(p);
    expect(one.v).toBe(2);
    const lists = (d: DeviceVolumeData): (string[] | undefined)[] =>
      (['calls', 'messages'] as const).flatMap((m) => Object.values(d[m]?.windows ?? {}).map((w) => w.accounts));
    expect(lists(one.s as DeviceVolumeData)).toEqual([['acct-a'], undefined, undefined, undefined, undefined, undefined]);
    // A second account calls in the next minute: the minute's list starts over with it, the hour's and day's hold both.
    p.process(phone('acct-b', T0 + MINUTE + 5000, 'call'), 0);
    expect(lists(deviceRecord(p).s as DeviceVolumeData)).toEqual([['acct-b'], ['acct-a', 'acct-b'], undefined, ['acct-a'], undefined, undefined]);
  });

  it('still restores version 1 records, to the same state and the same violations', () => {
    const before = [
      ...Array.from({ length: 140 }, (_, i) => phone(i % 2 === 0 ? 'acct-a' : 'acct-b', T0 + i * 200, 'message')),
      ...Array.from({ length: 20 }, (_, i) => phone('acct-c', T0 + 30_000 + i * 100, 'call')),
    ].sort((x, y) => x.eventTime - y.eventTime);
    const after = Array.from({ length: 30 }, (_, i) => phone(i % 3 === 0 ? 'acct-c' : 'acct-a', T0 + 40_000 + i * 100, 'message'));
    const original = fresh();
    for (const e of before) original.process(e, 0);
    const record = deviceRecord(original);

    const restored = fresh();
    const report = restored.restoreState({ keys: new Map([[DEVICE, { excessive_volume_device: { t: record.t, v: 1, s: asVersion1(record.s as DeviceVolumeData) } }]]), enforcer: { published: [], history: [] } }, 0);
    expect(report).toEqual({ keys: 1, slots: 1, dropped: 0 });
    // Touched again by one event each, both write the state they hold: the same record.
    const probe = phone('acct-a', T0 + 39_000, 'message');
    original.process(probe, 0);
    restored.process(probe, 0);
    expect(deviceRecord(restored)).toEqual(deviceRecord(original));
    const violations = (p: Pipeline): unknown[] => after.flatMap((e) => p.process(e, 0)).map((v) => [v.accountId, v.rule, v.metrics]);
    const expected = violations(original);
    expect(expected.length).toBeGreaterThan(0);
    expect(violations(restored)).toEqual(expected);
  });

  it('drops a record of a version it does not read', () => {
    const report = fresh().restoreState({ keys: new Map([[DEVICE, { excessive_volume_device: { t: T0, v: 3, s: {} } }]]), enforcer: { published: [], history: [] } }, 0);
    expect(report).toEqual({ keys: 1, slots: 0, dropped: 1 });
  });
});

describe('excessive_volume changelog records (version 2)', () => {
  const ACCOUNT = 'acct-texter';
  const volume = (): Pipeline =>
    buildPipeline(compilePolicy(undefined, defaultRules([excessiveVolume])), { ...DEFAULT_PIPELINE_SETTINGS, trackChanges: true }, undefined, [excessiveVolume]);
  const record = (p: Pipeline): KeyState[string] => {
    const r = p.takeChanges().keys.find(([key]) => key === ACCOUNT)?.[1]?.excessive_volume;
    if (r === undefined) throw new Error('the account has no record');
    return r;
  };

  /** The same record as version 1 wrote it: both kinds, every counter, both rings. */
  function asVersion1(data: VolumeStateData): unknown {
    const kind = (k: VolumeStateData['calls'], rules: string[]): unknown => ({
      counters: Object.fromEntries(rules.map((rule) => [rule, k?.counters[rule] ?? { windowStart: Number.NEGATIVE_INFINITY, count: 0, fired: false }])),
      recent: k?.recent ?? { capacity: 10, ids: [], times: [], next: 0 },
    });
    return {
      calls: kind(data.calls, ['calls_per_minute', 'calls_per_hour', 'calls_per_day']),
      messages: kind(data.messages, ['messages_per_minute', 'messages_per_hour', 'messages_per_day']),
    };
  }

  it('leaves out a kind that counted nothing and an empty evidence ring', () => {
    const p = volume();
    p.process(messageEvent(ACCOUNT, T0), 0);
    const first = record(p);
    expect(first.v).toBe(2);
    expect(first.s).toEqual({ messages: { counters: expect.any(Object) as unknown } });
    // Near the minute's limit (120) the ring keeps evidence: then it is written.
    for (const e of messageBurst(ACCOUNT, 118, T0 + 1000, 30_000)) p.process(e, 0);
    const near = record(p).s as VolumeStateData;
    expect(Object.keys(near)).toEqual(['messages']);
    expect(near.messages?.recent?.ids.length).toBeGreaterThan(0);
  });

  it('still restores version 1 records, to the same state and the same violations', () => {
    const original = volume();
    for (const e of [callEvent(ACCOUNT, T0), ...messageBurst(ACCOUNT, 100, T0 + 1000, 20_000)]) original.process(e, 0);
    const saved = record(original);
    const restored = volume();
    const report = restored.restoreState({ keys: new Map([[ACCOUNT, { excessive_volume: { t: saved.t, v: 1, s: asVersion1(saved.s as VolumeStateData) } }]]), enforcer: { published: [], history: [] } }, 0);
    expect(report).toEqual({ keys: 1, slots: 1, dropped: 0 });
    const after = messageBurst(ACCOUNT, 30, T0 + 25_000, 10_000);
    const violations = (p: Pipeline): unknown[] => after.flatMap((e) => p.process(e, 0)).map((v) => [v.rule, v.metrics]);
    const expected = violations(original);
    expect(expected).toEqual([['messages_per_minute', { messages: 121 }]]);
    expect(violations(restored)).toEqual(expected);
    expect(record(restored)).toEqual(record(original));
  });
});
