import type { EventType, TelemetryEvent, Violation } from '../events/types';
import type { Policy, RuleConfig } from '../policy/types';

/** What a detector found: a violation before enforcement gives it an id and a policy version. */
export type Finding = Omit<Violation, 'violationId' | 'policyVersion'>;

export interface DetectorContext {
  readonly policy: Policy;
  /** Watermark of the event's partition (event time minus allowed disorder). */
  readonly watermark: number;
  /** Report an event that arrived after its window was gone; counted, never silent. */
  late(rule: string): void;
}

/**
 * A detector is pure: (its state for a key, an event, the policy) → findings.
 * It never reads a clock, a file or Kafka. The engine owns its state store,
 * bounded by the caps in the run configuration.
 */
export interface Detector<S> {
  readonly name: string;
  readonly eventTypes: readonly EventType[];
  /** The rules it evaluates, with their defaults; a policy file overrides them. */
  readonly defaults: Readonly<Record<string, RuleConfig>>;
  /** State key; the account unless the detector groups by something else. */
  keyOf(event: TelemetryEvent): string;
  /** How long a key's state must outlive its last event to cover every window. */
  stateTtlMs(policy: Policy): number;
  createState(): S;
  onEvent(state: S, event: TelemetryEvent, ctx: DetectorContext): Finding[];
}

/**
 * Detectors of different state types in one list. Sound because the engine
 * only ever passes a detector the state that the same detector created;
 * method-syntax parameters make Detector<S> assignable here.
 */
export type AnyDetector = Detector<unknown>;
