import type { EnforcerChanges, EnforcerData } from '../enforcement/enforcer';
import type { StateWriter } from './state-writer';
import type { WatermarksData } from './windows/watermarks';

/**
 * The shapes a changelog carries, as plain data: one record per key (every
 * detector's state for it together), the enforcer's memory, and the
 * partition's stream time. Key-major rather than detector-major so that an
 * event touching ten detectors' state for one account writes one record.
 */

/** One detector's state for a key: when the key was last used, the codec's format version, the encoded state. */
export interface SlotState {
  t: number;
  v: number;
  s: unknown;
}

/** Every detector's state for one key, by detector name. */
export type KeyState = Record<string, SlotState>;

/**
 * A changed key's state as the changelog takes it: written straight into a StateWriter, the bytes that
 * value(KeyState) gives. Valid only during the visit it is handed to.
 */
export interface KeyStateSource {
  writeTo(out: StateWriter): void;
}

/** What changed since the last takeChanges(): a null KeyState means the key is gone (evicted). */
export interface PipelineChanges {
  keys: [string, KeyState | null][];
  enforcer: EnforcerChanges;
  clock: WatermarksData;
}

/** A partition's state as read back from a changelog (latest record per key). */
export interface PartitionState {
  keys: Map<string, KeyState>;
  enforcer: EnforcerData;
  clock?: WatermarksData;
}

/** What a restore could not use: state of a detector that no longer exists or whose codec changed format. */
export interface RestoreReport {
  keys: number;
  slots: number;
  dropped: number;
}
