import type { EventType, TelemetryEvent, Violation } from '../events/types';
import type { RowLayout } from '../engine/row-table';
import type { StateWriter } from '../engine/state-writer';
import type { Policy, RuleConfig, RuleDefaults } from '../policy/types';

/** What a detector found: a violation before enforcement gives it an id and a policy version. */
export type Finding = Omit<Violation, 'violationId' | 'policyVersion'>;

export interface DetectorContext {
  /** The whole policy: allow-lists, high-risk prefixes. Rule settings come from rule(). */
  readonly policy: Policy;
  /** Watermark of the event's partition (highest event time seen minus allowed disorder). */
  readonly watermark: number;
  /** A rule's settings for this account's tier; undefined when the rule is off. */
  rule(name: string): Readonly<RuleConfig> | undefined;
  /** Report an event that arrived after its window was gone; counted, never silent. */
  late(rule: string): void;
  /** Asks for onTimer(state, key, at) once the partition's watermark reaches `at` (event time). */
  schedule(at: number): void;
}

/**
 * How a detector's per-key state leaves the process (a changelog record) and
 * comes back (restore after a restart or rebalance). `encode` returns plain
 * data that structured clone keeps (plain objects, arrays, Map, Set, typed
 * arrays, numbers including ±Infinity, strings, booleans, null): no class
 * instances, no functions. `decode(encode(s))` must behave exactly as `s` for
 * every later event.
 */
export interface StateCodec<S> {
  /**
   * The encoded form's format version (1 if absent). Bump it when encode()'s
   * output changes shape: a changelog written by the old version is then
   * dropped on restore (and counted), never misread.
   */
  readonly version?: number;
  /**
   * Earlier versions that decode() still reads, so an upgrade keeps the state its predecessor wrote; decode() is
   * then told the record's version. A record of any other version is dropped.
   */
  readonly reads?: readonly number[];
  encode(state: S): unknown;
  /** `version`: the record's format version, when it came from a changelog (the current one otherwise). */
  decode(data: unknown, version?: number): S;
  /**
   * Optional: writes exactly what `out.value(encode(state))` writes, without building encode's plain data (the
   * changelog's path; see StateWriter). The same bytes, so records read back the same whichever wrote them.
   */
  write?(state: S, out: StateWriter): void;
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
  readonly defaults: Readonly<Record<string, RuleDefaults>>;
  /** State key; the account unless the detector groups by something else. */
  keyOf(event: TelemetryEvent): string;
  /** How long a key's state must outlive its last event to cover every window. */
  stateTtlMs(policy: Policy): number;
  createState(): S;
  /**
   * Optional: the state is a row of a RowTable (engine/row-table.ts) of this layout. The engine then keeps every
   * key's state in the store's columns, and hands onEvent and the codec the table positioned on the key's row;
   * createState and the codec's decode return a table of one row (RowTable.single), which a restore copies into the
   * columns; onRestore then gets the store's row, so what it writes stays.
   */
  readonly rows?: RowLayout;
  /**
   * Optional: false when `event` (of one of eventTypes) can neither change the state nor give a finding, whatever
   * the state and the policy. The engine then neither creates nor touches the key's state for it: a detector that
   * most events pass by (most calls are attested and show their own number) holds no state for most accounts.
   * Must be true whenever onEvent could do anything.
   */
  needsState?(event: TelemetryEvent): boolean;
  onEvent(state: S, event: TelemetryEvent, ctx: DetectorContext): readonly Finding[];
  /** Event-time timers asked for with ctx.schedule: things that become findings because time passed (a call still up). */
  onTimer?(state: S, key: string, at: number, ctx: DetectorContext): readonly Finding[];
  /** State to and from plain data, for the changelog. */
  readonly codec?: StateCodec<S>;
  /**
   * After a key's state was restored: re-register the event-time timers it
   * needs (timers are not part of the state). The key stands in for the
   * account: for detectors keyed by account, ctx.rule() gives its tier's
   * settings; for other keys, the untiered ones.
   */
  onRestore?(state: S, key: string, ctx: DetectorContext): void;
}

/**
 * Detectors of different state types in one list. Sound because the engine
 * only ever passes a detector the state that the same detector created;
 * method-syntax parameters make Detector<S> assignable here.
 */
export type AnyDetector = Detector<unknown>;
