import type { DistinctCounter } from '../../engine/distinct-counter';
import type { EvidenceRingData } from '../../engine/evidence-ring';
import { newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import type { StateCodec } from '../types';
import type { ContactFloodState } from './contact-flood';
import type { DeviceVolumeState } from './device';
import { describeLists, readLists } from './device-lists';
import type { FewNumbersState } from './few-numbers';
import { heavyHittersAt, type HeavyHitters } from './heavy-hitters';
import type { VolumeState } from './index';
import { DEVICE_LAYOUT, FEW_NUMBERS_LAYOUT, fewNumbersTopAt, FLOOD_LAYOUT, layOut, VOLUME_LAYOUT, type KindParts, type KindsLayout } from './layout';
import { readCounter, ringFromData, ringToData, type Packed } from './packed';
import { byRule, copyCounter, copyHeavyHitters, fromRules } from './state-data';

/**
 * The changelog form of the four EXCESSIVE_VOLUME states. The live states are
 * packed (packed.ts, layout.ts); their records keep the readable form they
 * always had (counters by rule name, evidence rings as EvidenceRing.toData
 * writes them), so records written before the packing still restore. decode
 * trusts the shape encode wrote (the record is ours); a rule it finds no data
 * for starts fresh (see byRule).
 */
type Kinds<K> = { calls?: K; messages?: K };
type Metric = 'calls' | 'messages';
const METRICS: readonly Metric[] = ['calls', 'messages'];

/** Kind `kind` of a packed state, its counters by rule name. */
const countersOf = (layout: KindsLayout, st: Packed, kind: number): Record<string, TumblingCounter> =>
  byRule(
    layout.kinds[kind] ?? [],
    (layout.kinds[kind] ?? []).map((_, r) => readCounter(st.n, layout.counterAt(kind, r))),
    copyCounter,
  );

const countersFrom = (layout: KindsLayout, kind: number, data: Readonly<Record<string, TumblingCounter>>): TumblingCounter[] =>
  fromRules(layout.kinds[kind] ?? [], data, copyCounter, newCounter);

const ringOf = (layout: KindsLayout, ring: EvidenceRingData | undefined): KindParts['ring'] =>
  ring === undefined ? { pos: 0, ids: [], times: [] } : ringFromData(layout.ring, ring);

/** A kind with no data: fresh counters, empty ring. */
const freshKind = (layout: KindsLayout, kind: number): KindParts => ({ counters: (layout.kinds[kind] ?? []).map(() => newCounter()), ring: { pos: 0, ids: [], times: [] } });

// ---- excessive_volume: both kinds always written ----

interface VolumeKindData {
  counters: Record<string, TumblingCounter>;
  recent: EvidenceRingData;
}

export interface VolumeStateData {
  calls: VolumeKindData;
  messages: VolumeKindData;
}

const volumeKindData = (s: VolumeState, kind: number): VolumeKindData => ({ counters: countersOf(VOLUME_LAYOUT, s, kind), recent: ringToData(s, VOLUME_LAYOUT.ring, kind) });

export const volumeCodec: StateCodec<VolumeState> = {
  encode: (s): VolumeStateData => ({ calls: volumeKindData(s, 0), messages: volumeKindData(s, 1) }),
  decode: (data) => {
    const d = data as VolumeStateData;
    return layOut(
      VOLUME_LAYOUT,
      METRICS.map((m, kind) => ({ counters: countersFrom(VOLUME_LAYOUT, kind, d[m].counters), ring: ringOf(VOLUME_LAYOUT, d[m].recent) })),
    );
  },
};

// ---- excessive_volume_contact_flood: a kind is written once it has counted something ----

export type ContactFloodData = Kinds<{ counter: TumblingCounter; recent: EvidenceRingData }>;

export const contactFloodCodec: StateCodec<ContactFloodState> = {
  encode: (s): ContactFloodData => {
    const out: ContactFloodData = {};
    METRICS.forEach((m, kind) => {
      if (FLOOD_LAYOUT.isFreshKind(s, kind)) return;
      // One rule per kind.
      out[m] = { counter: readCounter(s.n, FLOOD_LAYOUT.counterAt(kind, 0)), recent: ringToData(s, FLOOD_LAYOUT.ring, kind) };
    });
    return out;
  },
  decode: (data) => {
    const d = data as ContactFloodData;
    return layOut(
      FLOOD_LAYOUT,
      METRICS.map((m, kind) => {
        const k = d[m];
        return k === undefined ? freshKind(FLOOD_LAYOUT, kind) : { counters: [copyCounter(k.counter)], ring: ringOf(FLOOD_LAYOUT, k.recent) };
      }),
    );
  },
};

// ---- excessive_volume_device: a kind is written once it has counted something ----

interface DeviceWindowData {
  count: TumblingCounter;
  accounts: DistinctCounter;
}

export type DeviceVolumeData = Kinds<{ windows: Record<string, DeviceWindowData>; recent: EvidenceRingData }>;

export const deviceVolumeCodec: StateCodec<DeviceVolumeState> = {
  encode: (s): DeviceVolumeData => {
    const out: DeviceVolumeData = {};
    const lists = readLists(s);
    METRICS.forEach((m, kind) => {
      if (DEVICE_LAYOUT.isFreshKind(s, kind)) return;
      const rules = DEVICE_LAYOUT.kinds[kind] ?? [];
      const windows = rules.map((_, r): DeviceWindowData => {
        const count = readCounter(s.n, DEVICE_LAYOUT.counterAt(kind, r));
        // The list's window is its counter's, and nothing marks it fired (see device.ts). A copy: readLists shares equal lists.
        return { count, accounts: { windowStart: count.windowStart, values: [...(lists[DEVICE_LAYOUT.ruleIndex(kind, r)] ?? [])], fired: false } };
      });
      out[m] = { windows: byRule(rules, windows, (w) => w), recent: ringToData(s, DEVICE_LAYOUT.ring, kind) };
    });
    return out;
  },
  decode: (data) => {
    const d = data as DeviceVolumeData;
    const lists: string[][] = [];
    const kinds = METRICS.map((m, kind): KindParts => {
      const k = d[m];
      const rules = DEVICE_LAYOUT.kinds[kind] ?? [];
      const windows = rules.map((rule) => k?.windows[rule]);
      lists.push(...windows.map((w) => w?.accounts.values ?? []));
      return { counters: windows.map((w) => (w === undefined ? newCounter() : copyCounter(w.count))), ring: ringOf(DEVICE_LAYOUT, k?.recent) };
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
      calls: readCounter(s.n, FEW_NUMBERS_LAYOUT.counterAt(0, 0)),
      top: heavyHittersAt(s, top.valuesAt, top.countsAt),
      recent: ringToData(s, FEW_NUMBERS_LAYOUT.ring, 0),
    };
  },
  decode: (data) => {
    const d = data as FewNumbersData;
    const top = copyHeavyHitters(d.top);
    return layOut(FEW_NUMBERS_LAYOUT, [{ counters: [copyCounter(d.calls)], ring: ringOf(FEW_NUMBERS_LAYOUT, d.recent) }], { n: top.counts, s: top.values });
  },
};
