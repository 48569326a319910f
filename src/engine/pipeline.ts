import type { AnyDetector, DetectorContext, Finding } from '../detectors/types';
import type { Enforcer } from '../enforcement/enforcer';
import type { EventType, TelemetryEvent, Violation } from '../events/types';
import type { Policy } from '../policy/types';
import { KeyedState, type EvictionReason } from './keyed-state';
import { StreamClock } from './stream-clock';

/**
 * The one pipeline between the edges: event → stream clock → detectors (each
 * with its own bounded keyed state) → enforcement → violations. Kafka and
 * replay both drive it; it never reads the wall clock, so replaying a day
 * takes seconds and tests move time by hand.
 */
export interface PipelineObserver {
  event(type: EventType): void;
  late(detector: string, rule: string): void;
  finding(finding: Finding, outcome: 'publish' | 'shadow' | 'duplicate'): void;
  stateSize(detector: string, keys: number): void;
  evicted(detector: string, reason: EvictionReason, count: number): void;
}

export const NOOP_OBSERVER: PipelineObserver = {
  event: () => undefined,
  late: () => undefined,
  finding: () => undefined,
  stateSize: () => undefined,
  evicted: () => undefined,
};

export interface PipelineOptions {
  /** Cap on keys per detector; the least recently used key is evicted past it. */
  maxKeysPerDetector: number;
  /** How far event time may run backwards before events count as disordered. */
  allowedDisorderMs: number;
  /** Sweep expired state every this many events. */
  sweepEveryEvents: number;
}

interface Bound {
  detector: AnyDetector;
  state: KeyedState<unknown>;
}

export class Pipeline {
  private readonly bound: Bound[];
  private readonly byType = new Map<EventType, Bound[]>();
  private readonly clock: StreamClock;
  private policy: Policy;
  private sinceSweep = 0;

  constructor(
    detectors: readonly AnyDetector[],
    policy: Policy,
    private readonly enforcer: Enforcer,
    private readonly options: PipelineOptions,
    private readonly observer: PipelineObserver = NOOP_OBSERVER,
  ) {
    this.policy = policy;
    this.clock = new StreamClock(options.allowedDisorderMs);
    this.bound = detectors.map((detector) => ({
      detector,
      state: new KeyedState<unknown>({
        maxKeys: options.maxKeysPerDetector,
        ttlMs: detector.stateTtlMs(policy),
        create: () => detector.createState(),
        onEvict: (reason, count) => observer.evicted(detector.name, reason, count),
      }),
    }));
    for (const b of this.bound) {
      for (const type of b.detector.eventTypes) this.byType.set(type, [...(this.byType.get(type) ?? []), b]);
    }
  }

  /** Swaps the policy in force (hot reload); state is kept. */
  setPolicy(policy: Policy): void {
    this.policy = policy;
    for (const b of this.bound) b.state.setTtl(b.detector.stateTtlMs(policy));
  }

  currentPolicy(): Policy {
    return this.policy;
  }

  /** Processes one valid event from `partition`; returns the violations to publish. */
  process(event: TelemetryEvent, partition: number): Violation[] {
    this.observer.event(event.type);
    this.clock.observe(partition, event.eventTime);
    const watermark = this.clock.watermark(partition);
    const out: Violation[] = [];
    for (const b of this.byType.get(event.type) ?? []) {
      const name = b.detector.name;
      const ctx: DetectorContext = { policy: this.policy, watermark, late: (rule) => this.observer.late(name, rule) };
      const state = b.state.touch(b.detector.keyOf(event), event.eventTime);
      for (const finding of b.detector.onEvent(state, event, ctx)) {
        const outcome = this.enforcer.decide(finding, this.policy);
        this.observer.finding(finding, outcome.kind);
        if (outcome.kind === 'publish') out.push(outcome.violation);
      }
    }
    if (++this.sinceSweep >= this.options.sweepEveryEvents) this.sweep();
    return out;
  }

  /** Evicts state whose TTL has passed under the low watermark, and reports sizes. */
  sweep(): void {
    this.sinceSweep = 0;
    const low = this.clock.lowWatermark();
    for (const b of this.bound) {
      b.state.sweep(low);
      this.observer.stateSize(b.detector.name, b.state.size);
    }
  }

  /** A partition was revoked: its stream time no longer holds back the others. */
  releasePartition(partition: number): void {
    this.clock.forget(partition);
  }
}
