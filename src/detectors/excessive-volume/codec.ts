import { newDistinctCounter, type DistinctCounter } from '../../engine/distinct-counter';
import { EvidenceRing, type EvidenceRingData } from '../../engine/evidence-ring';
import { newCounter, type TumblingCounter } from '../../engine/tumbling-counter';
import type { StateCodec } from '../types';
import type { ContactFloodState } from './contact-flood';
import type { DeviceVolumeState } from './device';
import { DEVICE_CALL_RULES, DEVICE_MESSAGE_RULES } from './device-rules';
import type { FewNumbersState } from './few-numbers';
import type { HeavyHitters } from './heavy-hitters';
import type { VolumeState } from './index';
import { CALL_RULES, MESSAGE_RULES } from './rules';
import { byRule, copyCounter, copyDistinct, copyHeavyHitters, fromRules } from './state-data';

/**
 * The changelog form of the four EXCESSIVE_VOLUME states. Counters are plain
 * already and are copied; evidence rings go through their own toData/fromData.
 * decode trusts the shape encode wrote (the record is ours); a rule it finds
 * no data for starts fresh (see byRule).
 */
type Kinds<K> = { calls?: K; messages?: K };

/** The kinds a state has, mapped; absent kinds stay absent (not `undefined`), as createState leaves them. */
function mapKinds<K, D>(s: Kinds<K>, f: (kind: K, metric: 'calls' | 'messages') => D): Kinds<D> {
  const out: Kinds<D> = {};
  if (s.calls) out.calls = f(s.calls, 'calls');
  if (s.messages) out.messages = f(s.messages, 'messages');
  return out;
}

interface VolumeKindData {
  counters: Record<string, TumblingCounter>;
  recent: EvidenceRingData;
}

export interface VolumeStateData {
  calls: VolumeKindData;
  messages: VolumeKindData;
}

type VolumeKind = VolumeState['calls'];

const volumeKindData = (k: VolumeKind, rules: readonly string[]): VolumeKindData => ({ counters: byRule(rules, k.counters, copyCounter), recent: k.recent.toData() });
const volumeKind = (d: VolumeKindData, rules: readonly string[]): VolumeKind => ({
  counters: fromRules(rules, d.counters, copyCounter, newCounter),
  recent: EvidenceRing.fromData(d.recent),
});

export const volumeCodec: StateCodec<VolumeState> = {
  encode: (s): VolumeStateData => ({ calls: volumeKindData(s.calls, CALL_RULES), messages: volumeKindData(s.messages, MESSAGE_RULES) }),
  decode: (data) => {
    const d = data as VolumeStateData;
    return { calls: volumeKind(d.calls, CALL_RULES), messages: volumeKind(d.messages, MESSAGE_RULES) };
  },
};

type FloodKind = NonNullable<ContactFloodState['calls']>;

export type ContactFloodData = Kinds<{ counter: TumblingCounter; recent: EvidenceRingData }>;

export const contactFloodCodec: StateCodec<ContactFloodState> = {
  encode: (s): ContactFloodData => mapKinds(s, (k: FloodKind) => ({ counter: copyCounter(k.counter), recent: k.recent.toData() })),
  decode: (data) => mapKinds(data as ContactFloodData, (d) => ({ counter: copyCounter(d.counter), recent: EvidenceRing.fromData(d.recent) })),
};

type DeviceKind = NonNullable<DeviceVolumeState['calls']>;
type DeviceWindow = DeviceKind['windows'][number];

interface DeviceWindowData {
  count: TumblingCounter;
  accounts: DistinctCounter;
}

export type DeviceVolumeData = Kinds<{ windows: Record<string, DeviceWindowData>; recent: EvidenceRingData }>;

const deviceRules = (metric: 'calls' | 'messages'): readonly string[] => (metric === 'calls' ? DEVICE_CALL_RULES : DEVICE_MESSAGE_RULES);
const copyWindow = (w: DeviceWindow): DeviceWindow => ({ count: copyCounter(w.count), accounts: copyDistinct(w.accounts) });
const freshWindow = (): DeviceWindow => ({ count: newCounter(), accounts: newDistinctCounter() });

export const deviceVolumeCodec: StateCodec<DeviceVolumeState> = {
  encode: (s): DeviceVolumeData =>
    mapKinds(s, (k: DeviceKind, metric) => ({ windows: byRule(deviceRules(metric), k.windows, copyWindow), recent: k.recent.toData() })),
  decode: (data) =>
    mapKinds(data as DeviceVolumeData, (d, metric) => ({
      windows: fromRules(deviceRules(metric), d.windows, copyWindow, freshWindow),
      recent: EvidenceRing.fromData(d.recent),
    })),
};

export interface FewNumbersData {
  calls: TumblingCounter;
  top: HeavyHitters;
  recent: EvidenceRingData;
}

export const fewNumbersCodec: StateCodec<FewNumbersState> = {
  encode: (s): FewNumbersData => ({ calls: copyCounter(s.calls), top: copyHeavyHitters(s.top), recent: s.recent.toData() }),
  decode: (data) => {
    const d = data as FewNumbersData;
    return { calls: copyCounter(d.calls), top: copyHeavyHitters(d.top), recent: EvidenceRing.fromData(d.recent) };
  },
};
