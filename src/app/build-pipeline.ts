import { ALL_DETECTORS } from '../detectors';
import type { AnyDetector } from '../detectors/types';
import { Enforcer } from '../enforcement/enforcer';
import { Pipeline, type PipelineObserver } from '../engine/pipeline';
import type { Policy } from '../policy/types';

export interface PipelineSettings {
  maxKeysPerDetector: number;
  allowedDisorderMs: number;
  /** Event ids remembered per partition to drop redeliveries; 0 turns it off. */
  duplicateHorizon?: number;
  /** A partition quiet for this long (processing time) stops holding back state expiry. */
  idleTimeoutMs?: number;
  /** Track changed state for a changelog (the Kafka service); replay leaves it off. */
  trackChanges?: boolean;
}

export const DEFAULT_PIPELINE_SETTINGS: PipelineSettings = { maxKeysPerDetector: 1_000_000, allowedDisorderMs: 60_000, duplicateHorizon: 100_000, idleTimeoutMs: 300_000 };

/** The same pipeline for `run` and `replay`: every detector, one enforcer. */
export function buildPipeline(policy: Policy, settings: PipelineSettings, observer?: PipelineObserver, detectors: readonly AnyDetector[] = ALL_DETECTORS): Pipeline {
  return new Pipeline(
    detectors,
    policy,
    // Remember as many published ids as there can be accounts in state, so re-derived findings stay de-duplicated.
    new Enforcer(settings.maxKeysPerDetector, { trackChanges: settings.trackChanges }),
    {
      maxKeysPerDetector: settings.maxKeysPerDetector,
      allowedDisorderMs: settings.allowedDisorderMs,
      sweepEveryEvents: 10_000,
      duplicateHorizon: settings.duplicateHorizon ?? 0,
      idleTimeoutMs: settings.idleTimeoutMs,
      trackChanges: settings.trackChanges,
    },
    observer,
  );
}
