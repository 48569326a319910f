import { EvidenceRing, type EvidenceRingData } from '../../engine/evidence-ring';
import type { StateCodec } from '../types';
import { newBurst, type Burst, type BurstMember } from './burst';
import type { BurstState } from './burst-rule';

/**
 * A key's bursts (one per rule) as plain data for the changelog. Each field
 * is copied by name, arrays and members too, so a field added to Burst or
 * BurstMember without being added here fails the type check, and the live
 * burst (which keeps changing after a snapshot) never shares an object with
 * the record. The members must survive with their `flagged` marks: a burst
 * found after a restore flags the accounts registered before it.
 */
export interface BurstData {
  windowStart: number;
  members: BurstMember[];
  devices: string[];
  recent: EvidenceRingData;
  /** null, not undefined, for "not crossed yet": a value every plain-data format keeps. */
  crossed: Record<string, number> | null;
}

const copyMember = (m: BurstMember): BurstMember => ({
  accountId: m.accountId,
  deviceId: m.deviceId,
  eventIds: [...m.eventIds],
  verified: m.verified,
  failures: m.failures,
  flagged: m.flagged,
  kept: m.kept,
});

const copyLimits = (limits: Record<string, number>): Record<string, number> => ({ ...limits });

export function encodeBurst(b: Burst): BurstData {
  return {
    windowStart: b.windowStart,
    members: b.members.map(copyMember),
    devices: [...b.devices],
    recent: b.recent.toData(),
    crossed: b.crossed === undefined ? null : copyLimits(b.crossed),
  };
}

export function decodeBurst(d: BurstData): Burst {
  return {
    windowStart: d.windowStart,
    members: d.members.map(copyMember),
    devices: [...d.devices],
    recent: EvidenceRing.fromData(d.recent),
    crossed: d.crossed === null ? undefined : copyLimits(d.crossed),
  };
}

/** The codec of a detector whose state is one burst per rule of `rules`. */
export function burstStateCodec<R extends string>(detector: string, rules: readonly R[]): StateCodec<BurstState<R>> {
  return {
    encode: (state) => Object.fromEntries(rules.map((r) => [r, encodeBurst(state[r])])),
    decode(data) {
      // Records only ever come from encode() above; a non-object means a corrupt or foreign record, better refused than half-restored.
      if (typeof data !== 'object' || data === null) throw new Error(`${detector} state: expected an object`);
      const saved = data as Partial<Record<R, BurstData>>;
      // A rule missing from the record (added to the detector since the record was written) starts with an empty burst, as a new key does.
      return Object.fromEntries(
        rules.map((r) => {
          const burst = saved[r];
          return [r, burst === undefined ? newBurst() : decodeBurst(burst)];
        }),
      ) as BurstState<R>;
    },
  };
}
