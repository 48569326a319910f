import { serialize } from 'node:v8';
import type { Message } from 'kafkajs';
import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { defaultRules } from '../../src/detectors';
import { PartitionStateBuilder } from '../../src/engine/partition-state-builder';
import type { Pipeline } from '../../src/engine/pipeline';
import type { PipelineChanges } from '../../src/engine/state-changes';
import { ChangelogError } from '../../src/errors';
import { PlainWriter } from '../../src/io/plain-binary';
import { applyChangelogRecord, changelogMessages, CHANGELOG_FORMAT } from '../../src/kafka/changelog-records';
import { compilePolicy } from '../../src/policy/compile';
import { simulate } from '../../src/simulate/simulate';
import { caught } from '../helpers/errors';

/** The changelog's record format: what one commit writes is what a restore reads back, latest record winning. */
describe('changelog records', () => {
  const changes = (over: Partial<PipelineChanges> = {}): PipelineChanges => ({
    keys: [['acct-1', { excessiveVolume: { t: 5, v: 1, s: { counts: new Map([['m', 3]]), hist: new Float64Array([1, Number.NEGATIVE_INFINITY]) } } }]],
    enforcer: { history: [['acct-1\u0000calls_per_hour', { times: [5], lastPublishedAt: 5, lastStep: 0 }]], published: [['v-1', true]] },
    clock: { streamTime: [[0, 5]], low: 4 },
    ...over,
  });
  const asRecords = (c: PipelineChanges, offsets: Record<string, string>) =>
    changelogMessages(c, new Map(Object.entries(offsets)), 2).map((m) => ({ key: Buffer.from(String(m.key)), value: m.value === null || m.value === undefined ? null : (m.value as Buffer), partition: m.partition }));

  it('writes one record per changed key, history entry and published id, plus the clock and the input offsets, all to the given partition', () => {
    const records = asRecords(changes(), { calls: '17' });
    expect(records.map((r) => r.key.toString())).toEqual(['k:acct-1', 'h:acct-1\u0000calls_per_hour', 'p:v-1', 'c:clock', 'o:offsets']);
    expect(records.every((r) => r.partition === 2)).toBe(true);
    expect(records.every((r) => r.value?.[0] === CHANGELOG_FORMAT)).toBe(true);
  });

  it('reads back state (Maps, typed arrays, -Infinity included) and offsets, the latest record per key winning, deletions applied', () => {
    const builder = new PartitionStateBuilder();
    const offsets = new Map<string, string>();
    const log = [
      ...asRecords(changes(), { calls: '17' }),
      ...asRecords(changes({ keys: [['acct-2', { bulkMessaging: { t: 9, v: 1, s: [1, 2] } }]], enforcer: { history: [], published: [['v-1', false]] } }), { calls: '20', messages: '3' }),
      ...asRecords(changes({ keys: [['acct-1', null]], enforcer: { history: [], published: [] }, clock: { streamTime: [[0, 9]], low: 8 } }), { calls: '21' }),
    ];
    for (const r of log) applyChangelogRecord(r, builder, offsets, 'test');
    const state = builder.build();
    expect([...state.keys.keys()]).toEqual(['acct-2']);
    expect(state.keys.get('acct-2')).toEqual({ bulkMessaging: { t: 9, v: 1, s: [1, 2] } });
    expect(state.enforcer.published).toEqual([]);
    expect(state.enforcer.history).toEqual([['acct-1\u0000calls_per_hour', { times: [5], lastPublishedAt: 5, lastStep: 0 }]]);
    expect(state.clock).toEqual({ streamTime: [[0, 9]], low: 8 });
    expect(Object.fromEntries(offsets)).toEqual({ calls: '21', messages: '3' });

    const first = new PartitionStateBuilder();
    for (const r of asRecords(changes(), {})) applyChangelogRecord(r, first, new Map(), 'test');
    const s = first.build().keys.get('acct-1')?.excessiveVolume?.s as { counts: Map<string, number>; hist: Float64Array };
    expect(s.counts.get('m')).toBe(3);
    expect([...s.hist]).toEqual([1, Number.NEGATIVE_INFINITY]);
  });

  it('still reads records in format 1 (V8 structured clone), as builds before the compact form wrote them', () => {
    const [record] = asRecords(changes(), {});
    const state = changes().keys[0]?.[1];
    const old = { key: record?.key ?? null, value: Buffer.concat([Buffer.from([1]), serialize(state)]) };
    const builder = new PartitionStateBuilder();
    applyChangelogRecord(old, builder, new Map(), 'test');
    expect(builder.build().keys.get('acct-1')).toEqual(state);
    expect(record?.value?.[0]).toBe(CHANGELOG_FORMAT);
  });

  it('still reads records in format 4 (every big integer as itself), as builds before the distances wrote them', () => {
    // [1767571201295, 1767571260000] as format 4 wrote it: an array of two big integers (tag 14, 6-byte varints).
    const big = (n: number): number[] => {
      const out = [14];
      for (let v = n; ; v = Math.floor(v / 128)) {
        if (v < 128) return [...out, v];
        out.push((v % 128) | 0x80);
      }
    };
    const value = Buffer.from([4, 8, 2, ...big(1_767_571_201_295), ...big(1_767_571_260_000)]);
    const builder = new PartitionStateBuilder();
    applyChangelogRecord({ key: Buffer.from('k:acct-8'), value }, builder, new Map(), 'test');
    expect(builder.build().keys.get('acct-8')).toEqual([1_767_571_201_295, 1_767_571_260_000]);
  });

  it('still reads records in format 3 (times and -Infinity as doubles), as builds before the varint times wrote them', () => {
    // [1767571201295, -Infinity, 7] as format 3 wrote it: an array of a double, a double and a small integer.
    const time = Buffer.alloc(8);
    time.writeDoubleLE(1_767_571_201_295);
    const minus = Buffer.alloc(8);
    minus.writeDoubleLE(Number.NEGATIVE_INFINITY);
    const value = Buffer.concat([Buffer.from([3, 8, 3, 6]), time, Buffer.from([6]), minus, Buffer.from([4, 7])]);
    const builder = new PartitionStateBuilder();
    applyChangelogRecord({ key: Buffer.from('k:acct-9'), value }, builder, new Map(), 'test');
    expect(builder.build().keys.get('acct-9')).toEqual([1_767_571_201_295, Number.NEGATIVE_INFINITY, 7]);
  });

  it('still reads records in format 2 (field names as text), as builds before the field-name dictionary wrote them', () => {
    const state = changes().keys[0]?.[1];
    const value = new PlainWriter().begin(2);
    value.value(state);
    const builder = new PartitionStateBuilder();
    applyChangelogRecord({ key: Buffer.from('k:acct-1'), value: value.take() }, builder, new Map(), 'test');
    expect(builder.build().keys.get('acct-1')).toEqual(state);
  });

  it('writes the field names it knows as one byte each: a counter takes a fraction of its text form', () => {
    const counter = { windowStart: 1_767_614_400_000, count: 3, fired: false };
    const state = { excessive_volume: { t: 1, v: 1, s: { calls_per_hour: counter, calls_per_day: counter } } };
    const [record] = asRecords(changes({ keys: [['acct-1', state]] }), {});
    const text = new PlainWriter().begin(2);
    text.value(state);
    const textBytes = text.take().length;
    expect(record?.value?.length).toBeLessThan(textBytes / 2);
    const builder = new PartitionStateBuilder();
    if (record) applyChangelogRecord(record, builder, new Map(), 'test');
    expect(builder.build().keys.get('acct-1')).toEqual(state);
  });

  it('refuses a record in another format, naming where it is and what to do', () => {
    const [record] = asRecords(changes(), {});
    const bad = { key: record?.key ?? null, value: Buffer.concat([Buffer.from([CHANGELOG_FORMAT + 1]), record?.value?.subarray(1) ?? Buffer.alloc(0)]) };
    const err = caught(ChangelogError, () => applyChangelogRecord(bad, new PartitionStateBuilder(), new Map(), 'state[2]@41'));
    expect(err.message).toBe(`state[2]@41: changelog record in format ${CHANGELOG_FORMAT + 1}; this build reads formats 1 to ${CHANGELOG_FORMAT}`);
    expect(err.hint).toMatch(/abuse-detector reset-state/);
  });

  it('refuses a key kind it does not know rather than ignoring state', () => {
    const err = caught(ChangelogError, () => applyChangelogRecord({ key: Buffer.from('x:thing'), value: Buffer.from([CHANGELOG_FORMAT]) }, new PartitionStateBuilder(), new Map(), 'here'));
    expect(err.message).toBe('here: changelog record with an unknown key kind "x:"');
  });

  it('writes the same records whether a commit drains the pipeline key by key or takes its changes whole', () => {
    // Two pipelines on the same traffic, one drained (each codec's write, straight from the live state), the other's
    // changes taken as plain data (encode, then the general writer): the same bytes at every commit along the way.
    const make = (): Pipeline => buildPipeline(compilePolicy(undefined, defaultRules()), { ...DEFAULT_PIPELINE_SETTINGS, trackChanges: true });
    const [drainedOne, takenOne] = [make(), make()];
    const events = simulate({ accounts: 150, seed: 4, abuseShare: 0.3, lookAlikeShare: 0.2, start: Date.UTC(2026, 0, 5), hours: 6, knobs: { intensity: 1, subtlety: 0 } }).events;
    const offsets = new Map([['calls', '9']]);
    const hex = (ms: Message[]): (string | null)[][] => ms.map((m) => [String(m.key), m.value?.toString('hex') ?? null]);
    let commits = 0;
    let records = 0;
    const commit = (): void => {
      const drained = changelogMessages((visit) => drainedOne.drainChanges(visit), offsets, 1);
      const taken = changelogMessages(takenOne.takeChanges(), offsets, 1);
      expect(hex(drained)).toEqual(hex(taken));
      commits++;
      records += drained.length;
    };
    let i = 0;
    for (const e of events) {
      drainedOne.process(e, 0);
      takenOne.process(e, 0);
      if (++i % 400 === 0) commit();
    }
    commit();
    expect(commits).toBeGreaterThan(10);
    expect(records).toBeGreaterThan(1000);
  });
});
