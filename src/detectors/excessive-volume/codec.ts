import type { DistinctCounter } from '../../engine/distinct-counter';
import type { EvidenceRingData } from '../../engine/evidence-ring';
import { newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import { Field, fields, type StateWriter } from '../../engine/state-writer';
import type { StateCodec } from '../types';
import type { ContactFloodState } from './contact-flood';
import type { DeviceVolumeState } from './device';
import { describeLists, ownsList, readLists, writeList } from './device-lists';
import type { FewNumbersState } from './few-numbers';
import { heavyHittersAt, type HeavyHitters } from './heavy-hitters';
import type { VolumeState } from './index';
import { floodFromParts, floodKindParts, floodWindowStart, writeFloodKindParts, type FloodKindParts } from './flood-slots';
import { DEVICE_LAYOUT, FEW_NUMBERS_LAYOUT, fewNumbersTopAt, layOut, VOLUME_LAYOUT, type KindParts, type KindsLayout } from './layout';
import { readCounter, ringEmpty, ringFromData, ringToData, writeCounterData, writeRingData, type Packed } from './packed';
import { byRule, copyCounter, copyHeavyHitters, fromRules } from './state-data';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('counters', 'recent', 'windows', 'count', 'accounts', 'windowStart', 'values', 'fired', 'calls', 'messages', 'top');
/** The kinds' and the rules' names as Fields, by kind and rule (the names are written for every key). */
const METRIC_FIELDS = [F.calls, F.messages];
const ruleFields = (layout: KindsLayout): Field[][] => layout.kinds.map((rules) => rules.map((rule) => new Field(rule)));
const VOLUME_RULE_FIELDS = ruleFields(VOLUME_LAYOUT);
const DEVICE_RULE_FIELDS = ruleFields(DEVICE_LAYOUT);

/**
 * The changelog form of the four EXCESSIVE_VOLUME states. The live states are
 * packed (packed.ts, layout.ts); their records keep the readable form they
 * always had (counters by rule name, evidence rings as EvidenceRing.toData
 * writes them), so records written before the packing still restore; the
 * flood detector's, keyed per account since its version 2, have a form of
 * their own (ContactFloodData). decode
 * trusts the shape encode wrote (the record is ours); a rule it finds no data
 * for starts fresh (see byRule).
 */
type Kinds<K> = { calls?: K; messages?: K };
type Metric = 'calls' | 'messages';
const METRICS: readonly Metric[] = ['calls', 'messages'];

/** Kind `kind` of a packed state, its counters by rule name (readCounter's objects are fresh: no copy needed). */
function countersOf(layout: KindsLayout, st: Packed, kind: number): Record<string, TumblingCounter> {
  const rules = layout.kinds[kind] ?? [];
  const out: Record<string, TumblingCounter> = {};
  for (let r = 0; r < rules.length; r++) out[rules[r] as string] = readCounter(st, layout.counterAt(kind, r));
  return out;
}

const countersFrom = (layout: KindsLayout, kind: number, data: Readonly<Record<string, TumblingCounter>>): TumblingCounter[] =>
  fromRules(layout.kinds[kind] ?? [], data, copyCounter, newCounter);

/** Every set of kinds, by a bit per kind: kindsWhere hands out one of these, not an array per record. */
const KIND_SETS: readonly (readonly number[])[] = [[], [0], [1], [0, 1]];
if (METRICS.length !== 2) throw new Error('KIND_SETS lists the sets of two kinds');

/**
 * The kinds (by number) of state `s` for which `written(s, kind)` holds: what a codec writing only some kinds
 * writes, in kind order. `written` takes the state rather than closing over it: no function made per record.
 */
const kindsWhere = (s: Packed, written: (s: Packed, kind: number) => boolean): readonly number[] =>
  KIND_SETS[(written(s, 0) ? 1 : 0) | (written(s, 1) ? 2 : 0)] as readonly number[];
const countedVolume = (s: Packed, kind: number): boolean => !VOLUME_LAYOUT.isFreshKind(s, kind);
const countedDevice = (s: Packed, kind: number): boolean => !DEVICE_LAYOUT.isFreshKind(s, kind);
const floodStarted = (s: Packed, kind: number): boolean => floodWindowStart(s, kind) !== Number.NEGATIVE_INFINITY;

const ringOf = (layout: KindsLayout, ring: EvidenceRingData | undefined): KindParts['ring'] =>
  ring === undefined ? { pos: 0, ids: [], times: [] } : ringFromData(layout.ring, ring);

// ---- excessive_volume: a kind is written once it has counted something, its ring once it holds something ----

/**
 * Version 2 leaves out what a fresh state holds: a kind that has counted nothing (over half the accounts only call
 * or only message), and an empty evidence ring (nearly every account's: a ring fills only near a limit). Version 1
 * wrote both kinds and both rings always; it is still read, by the same decode.
 */
interface VolumeKindData {
  counters: Record<string, TumblingCounter>;
  recent?: EvidenceRingData;
}

export type VolumeStateData = Kinds<VolumeKindData>;

function volumeKindData(s: VolumeState, kind: number): VolumeKindData {
  const counters = countersOf(VOLUME_LAYOUT, s, kind);
  return ringEmpty(s, VOLUME_LAYOUT.ring, kind) ? { counters } : { counters, recent: ringToData(s, VOLUME_LAYOUT.ring, kind) };
}

/** What value(countersOf(VOLUME_LAYOUT, st, kind)) writes. */
function writeVolumeCounters(out: StateWriter, st: Packed, kind: number): void {
  const rules = VOLUME_RULE_FIELDS[kind] ?? [];
  out.object(rules.length);
  for (let r = 0; r < rules.length; r++) {
    out.field(rules[r] as Field);
    writeCounterData(out, st, VOLUME_LAYOUT.counterAt(kind, r));
  }
}

export const volumeCodec: StateCodec<VolumeState> = {
  version: 2,
  reads: [1],
  encode: (s): VolumeStateData => {
    const out: VolumeStateData = {};
    METRICS.forEach((m, kind) => {
      if (!VOLUME_LAYOUT.isFreshKind(s, kind)) out[m] = volumeKindData(s, kind);
    });
    return out;
  },
  write: (s, out) => {
    const kinds = kindsWhere(s, countedVolume);
    out.object(kinds.length);
    for (const kind of kinds) {
      const ring = !ringEmpty(s, VOLUME_LAYOUT.ring, kind);
      out.field(METRIC_FIELDS[kind] as Field);
      out.object(ring ? 2 : 1);
      out.field(F.counters);
      writeVolumeCounters(out, s, kind);
      if (!ring) continue;
      out.field(F.recent);
      writeRingData(out, s, VOLUME_LAYOUT.ring, kind);
    }
  },
  decode: (data) => {
    const d = data as VolumeStateData;
    return layOut(
      VOLUME_LAYOUT,
      METRICS.map((m, kind) => ({ counters: countersFrom(VOLUME_LAYOUT, kind, d[m]?.counters ?? {}), ring: ringOf(VOLUME_LAYOUT, d[m]?.recent) })),
    );
  },
};

// ---- excessive_volume_contact_flood: per account since version 2 ----

/**
 * One kind of a flood state: its window, the numbers in its slots with their
 * counts (times two, plus one once fired), and the evidence kept for numbers
 * near their limit (the slot each id went to). Version 1 was a state per
 * account and number; the pipeline drops such records on restore (and counts
 * them), so an upgrade starts those windows afresh.
 */
export type ContactFloodData = Kinds<FloodKindParts>;

const noKind = (): FloodKindParts => ({ windowStart: Number.NEGATIVE_INFINITY, numbers: [], counts: [], evidenceSlots: [], evidenceIds: [] });

const copyKind = (k: FloodKindParts): FloodKindParts => ({
  windowStart: k.windowStart,
  numbers: [...k.numbers],
  counts: [...k.counts],
  evidenceSlots: [...k.evidenceSlots],
  evidenceIds: [...k.evidenceIds],
});

export const contactFloodCodec: StateCodec<ContactFloodState> = {
  version: 2,
  encode: (s): ContactFloodData => {
    const out: ContactFloodData = {};
    METRICS.forEach((m, kind) => {
      // A kind is written once it has a window: slots freed by cancelling still leave the window, which decides what is late.
      if (floodWindowStart(s, kind) !== Number.NEGATIVE_INFINITY) out[m] = floodKindParts(s, kind);
    });
    return out;
  },
  write: (s, out) => {
    const kinds = kindsWhere(s, floodStarted);
    out.object(kinds.length);
    for (const kind of kinds) {
      out.field(METRIC_FIELDS[kind] as Field);
      writeFloodKindParts(out, s, kind);
    }
  },
  decode: (data) => {
    const d = data as ContactFloodData;
    return floodFromParts([d.calls === undefined ? noKind() : copyKind(d.calls), d.messages === undefined ? noKind() : copyKind(d.messages)]);
  },
};

// ---- excessive_volume_device: a kind is written once it has counted something ----

/**
 * Version 2: a rule's accounts as a bare list, absent when it is the list of
 * the rule written just before it. Nearly every device has one account, in
 * all six lists: version 1 spelled it out six times, each list with a copy of
 * its counter's window start and a constant `fired`, about half a device's
 * record. An empty evidence ring is left out too. Version 1 records are still
 * read.
 */
interface DeviceRuleData {
  count: TumblingCounter;
  accounts?: string[];
}

/** Version 1's rule: the accounts as a DistinctCounter whose window is its counter's and which is never fired. */
interface DeviceRuleDataV1 {
  count: TumblingCounter;
  accounts: DistinctCounter;
}

export type DeviceVolumeData = Kinds<{ windows: Record<string, DeviceRuleData>; recent?: EvidenceRingData }>;
type DeviceVolumeDataV1 = Kinds<{ windows: Record<string, DeviceRuleDataV1>; recent: EvidenceRingData }>;

/** Each rule's list from a version 2 record, by rule name: an absent list is the one before it in the record. */
function listsByRule(d: DeviceVolumeData): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let previous: string[] = [];
  for (const m of METRICS) {
    for (const [rule, w] of Object.entries(d[m]?.windows ?? {})) {
      previous = w.accounts ?? previous;
      out.set(rule, previous);
    }
  }
  return out;
}

export const deviceVolumeCodec: StateCodec<DeviceVolumeState> = {
  version: 2,
  reads: [1],
  encode: (s): DeviceVolumeData => {
    const out: DeviceVolumeData = {};
    const lists = readLists(s);
    METRICS.forEach((m, kind) => {
      if (DEVICE_LAYOUT.isFreshKind(s, kind)) return;
      const rules = DEVICE_LAYOUT.kinds[kind] ?? [];
      const windows = rules.map((_, r): DeviceRuleData => {
        const count = readCounter(s, DEVICE_LAYOUT.counterAt(kind, r));
        // A rule whose list is the one before it (over both kinds) leaves it out. That rule is then written too: a kind
        // not written (fresh) has empty lists, and an empty list is never shared. A copy: readLists shares equal lists.
        const w = DEVICE_LAYOUT.ruleIndex(kind, r);
        return ownsList(s, w) ? { count, accounts: [...(lists[w] ?? [])] } : { count };
      });
      const byName = byRule(rules, windows, (w) => w);
      out[m] = ringEmpty(s, DEVICE_LAYOUT.ring, kind) ? { windows: byName } : { windows: byName, recent: ringToData(s, DEVICE_LAYOUT.ring, kind) };
    });
    return out;
  },
  write: (s, out) => {
    const kinds = kindsWhere(s, countedDevice);
    out.object(kinds.length);
    for (const kind of kinds) {
      const rules = DEVICE_RULE_FIELDS[kind] ?? [];
      const ring = !ringEmpty(s, DEVICE_LAYOUT.ring, kind);
      out.field(METRIC_FIELDS[kind] as Field);
      out.object(ring ? 2 : 1);
      out.field(F.windows);
      out.object(rules.length);
      for (let r = 0; r < rules.length; r++) {
        // encode's list, read from the state rather than from readLists' arrays.
        const w = DEVICE_LAYOUT.ruleIndex(kind, r);
        const own = ownsList(s, w);
        out.field(rules[r] as Field);
        out.object(own ? 2 : 1);
        out.field(F.count);
        writeCounterData(out, s, DEVICE_LAYOUT.counterAt(kind, r));
        if (!own) continue;
        out.field(F.accounts);
        writeList(out, s, w);
      }
      if (!ring) continue;
      out.field(F.recent);
      writeRingData(out, s, DEVICE_LAYOUT.ring, kind);
    }
  },
  decode: (data, version) => {
    const v1 = version === 1 ? (data as DeviceVolumeDataV1) : undefined;
    const byName = v1 === undefined ? listsByRule(data as DeviceVolumeData) : undefined;
    const d = data as DeviceVolumeData;
    const lists: string[][] = [];
    const kinds = METRICS.map((m, kind): KindParts => {
      const rules = DEVICE_LAYOUT.kinds[kind] ?? [];
      lists.push(...rules.map((rule) => (v1 === undefined ? byName?.get(rule) : v1[m]?.windows[rule]?.accounts.values) ?? []));
      const windows = rules.map((rule) => d[m]?.windows[rule]);
      return { counters: windows.map((w) => (w === undefined ? newCounter() : copyCounter(w.count))), ring: ringOf(DEVICE_LAYOUT, d[m]?.recent) };
    });
    const { description, own } = describeLists(lists);
    return layOut(DEVICE_LAYOUT, kinds, { n: [], s: own.flat() }, [description]);
  },
};

// ---- excessive_volume_few_numbers ----

export interface FewNumbersData {
  calls: TumblingCounter;
  top: HeavyHitters;
  recent: EvidenceRingData;
}

export const fewNumbersCodec: StateCodec<FewNumbersState> = {
  encode: (s): FewNumbersData => {
    const top = fewNumbersTopAt(s);
    return {
      calls: readCounter(s, FEW_NUMBERS_LAYOUT.counterAt(0, 0)),
      top: heavyHittersAt(s, top, top),
      recent: ringToData(s, FEW_NUMBERS_LAYOUT.ring, 0),
    };
  },
  write: (s, out) => {
    const top = fewNumbersTopAt(s);
    out.object(3);
    out.field(F.calls);
    writeCounterData(out, s, FEW_NUMBERS_LAYOUT.counterAt(0, 0));
    out.field(F.top);
    out.value(heavyHittersAt(s, top, top));
    out.field(F.recent);
    writeRingData(out, s, FEW_NUMBERS_LAYOUT.ring, 0);
  },
  decode: (data) => {
    const d = data as FewNumbersData;
    const top = copyHeavyHitters(d.top);
    return layOut(FEW_NUMBERS_LAYOUT, [{ counters: [copyCounter(d.calls)], ring: ringOf(FEW_NUMBERS_LAYOUT, d.recent) }], { n: top.counts, s: top.values });
  },
};
