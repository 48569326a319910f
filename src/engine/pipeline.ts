import type { AnyDetector, Finding } from '../detectors/types';
import type { Enforcer, EnforcementOutcome, EnforcerData } from '../enforcement/enforcer';
import type { EventType, TelemetryEvent, Violation } from '../events/types';
import { rulesFor } from '../policy/resolve';
import type { Policy } from '../policy/types';
import { BoundContext } from './detector-context';
import { KeyIndex, NO_ID } from './key-index';
import { SlottedState, type EvictionReason } from './slotted-state';
import type { KeyState, KeyStateSource, PartitionState, PipelineChanges, RestoreReport } from './state-changes';
import { Field, fields, type StateWriter } from './state-writer';
import { NOT_DROPPED, TimerQueue } from './timer-queue';
import { DuplicateFilter, type DuplicateFilterData } from './windows/duplicate-filter';
import { Watermarks, type WatermarksData } from './windows/watermarks';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('t', 'v', 's');

/** What process() returns for an event that publishes nothing (nearly every one): shared, so read-only. */
const NO_VIOLATIONS: readonly Violation[] = Object.freeze([]);

/**
 * The one pipeline between the edges: event → stream clock → detectors (each
 * with its own bounded keyed state) → due event-time timers → enforcement →
 * violations. Kafka and replay both drive it; it never reads the wall clock,
 * so replaying a day takes seconds and tests move time by hand.
 */
export interface PipelineObserver {
  event(type: EventType): void;
  /** A record whose eventId was already processed on its partition (a redelivery): not counted again. */
  duplicate?(type: EventType): void;
  late(detector: string, rule: string): void;
  finding(finding: Finding, outcome: EnforcementOutcome['kind']): void;
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

/** Everything the pipeline holds, as plain data (see StateCodec): what a changelog persists. */
export interface PipelineSnapshot {
  watermarks: WatermarksData;
  /** Recently seen event ids per partition, so a redelivery after a restore is still recognised. */
  seen?: [number, DuplicateFilterData][];
  detectors: { detector: string; entries: { key: string; lastEventTime: number; data: unknown }[] }[];
  enforcer: EnforcerData;
}

export interface PipelineOptions {
  /** Cap on keys per detector; the least recently used key is evicted past it. */
  maxKeysPerDetector: number;
  /** How far event time may run backwards before events count as disordered. */
  allowedDisorderMs: number;
  /** Processing time without events after which a partition no longer holds back state expiry (Flink's idleness). */
  idleTimeoutMs?: number;
  /** Sweep expired state every this many events. */
  sweepEveryEvents: number;
  /** Event ids remembered per partition to drop redelivered records; 0 turns the filter off. */
  duplicateHorizon?: number;
  /** Track changed keys for a changelog (takeChanges()); replay leaves it off. */
  trackChanges?: boolean;
}

interface Bound {
  detector: AnyDetector;
  /** The store shared with the detectors of the same state lifetime, and this detector's slot in it. */
  store: SlottedState;
  member: number;
  ctx: BoundContext;
  /** The detector's createState, bound once: a closure made per event and detector was a measurable share of replay's garbage. */
  create: () => unknown;
  /** The detector's name as a changelog field (every changed key writes it). */
  field: Field;
}

/** A detector's codec; one without cannot have its state in a changelog. */
function codecOf(b: Bound): NonNullable<AnyDetector['codec']> {
  const codec = b.detector.codec;
  if (!codec) throw new Error(`detector ${b.detector.name} has no state codec; a changelog cannot persist it`);
  return codec;
}

export class Pipeline {
  private readonly bound: Bound[];
  private readonly stores: SlottedState[];
  /** One map of every store's keys (see KeyIndex), and of the keys changed since the last commit. */
  private readonly index: KeyIndex;
  /** The bound detectors of each store (by lifetime number), by member index: a key's changelog state is one lookup. */
  private readonly byLifetime: Bound[][];
  /** The id of the key drainChanges() is visiting, its number of states, and the one KeyStateSource that writes it (no object per key). */
  private sourceId = NO_ID;
  private sourceSlots = 0;
  private readonly source: KeyStateSource = { writeTo: (out) => this.writeKeyState(this.sourceId, this.sourceSlots, out) };
  /** Where writeSlot writes, while writeKeyState runs. */
  private slotsOut: StateWriter | undefined = undefined;
  private readonly byType = new Map<EventType, Bound[]>();
  private clock: Watermarks;
  /** Processing time of the latest event, for idleness: passed in, never read from a clock. */
  private now = Number.NEGATIVE_INFINITY;
  private readonly timers = new Map<number, TimerQueue>();
  private readonly seen = new Map<number, DuplicateFilter>();
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
    this.clock = new Watermarks(this.watermarkOptions());
    const late = (d: string, r: string): void => observer.late(d, r);
    const schedule = (partition: number, at: number, detector: number, key: string, accountId: string): void => this.schedule(partition, at, detector, key, accountId);
    // Detectors whose state lives equally long share one store: a 30-day history
    // must not keep every account's one-day counters alive for 30 days.
    const byTtl = new Map<number, AnyDetector[]>();
    for (const d of detectors) byTtl.set(d.stateTtlMs(policy), [...(byTtl.get(d.stateTtlMs(policy)) ?? []), d]);
    this.index = new KeyIndex(options.trackChanges === true);
    const stores = new Map<number, SlottedState>();
    for (const [ttlMs, members] of byTtl) {
      stores.set(
        ttlMs,
        new SlottedState({
          maxKeys: options.maxKeysPerDetector,
          ttlMs,
          members: members.length,
          onEvict: (member, reason, count) => observer.evicted(members[member]?.name ?? 'unknown', reason, count),
          index: this.index,
          lifetime: stores.size,
          rows: members.map((d) => d.rows),
        }),
      );
    }
    this.bound = detectors.map((detector, i) => {
      const ttl = detector.stateTtlMs(policy);
      return {
        detector,
        ctx: new BoundContext(i, detector, late, schedule),
        store: stores.get(ttl) as SlottedState,
        member: (byTtl.get(ttl) ?? []).indexOf(detector),
        create: () => detector.createState(),
        field: new Field(detector.name),
      };
    });
    this.stores = [...stores.values()];
    // A store's members in member order (bound in detector order, so the same as the store's list in byTtl).
    this.byLifetime = this.stores.map((store) => this.bound.filter((b) => b.store === store).sort((a, b) => a.member - b.member));
    for (const b of this.bound) {
      for (const type of b.detector.eventTypes) this.byType.set(type, [...(this.byType.get(type) ?? []), b]);
    }
  }

  /** Swaps the policy in force (hot reload); state is kept, TTLs follow the new windows. */
  setPolicy(policy: Policy): void {
    this.policy = policy;
    // A store keeps state as long as the longest-lived of its detectors now needs.
    const ttls = new Map<SlottedState, number>();
    for (const b of this.bound) ttls.set(b.store, Math.max(ttls.get(b.store) ?? 0, b.detector.stateTtlMs(policy)));
    for (const [store, ttl] of ttls) store.setTtl(ttl);
  }

  /**
   * Processes one valid event from `partition`; returns the violations to
   * publish. `processingTime` is the wall clock at the edge (Kafka) and only
   * decides when a quiet partition counts as idle; replay passes nothing and
   * event time stands in for it.
   */
  process(event: TelemetryEvent, partition: number, processingTime: number = event.eventTime): readonly Violation[] {
    if (this.isDuplicate(event, partition)) {
      this.observer.duplicate?.(event.type);
      return NO_VIOLATIONS;
    }
    this.observer.event(event.type);
    if (processingTime > this.now) this.now = processingTime;
    this.clock.observe(partition, event.eventTime, this.now);
    const watermark = this.clock.watermark(partition);
    const rules = rulesFor(this.policy, event.accountId);
    // Made on the first violation to publish: most events publish none.
    let out: Violation[] | undefined;
    for (const b of this.byType.get(event.type) ?? []) {
      if (b.detector.needsState?.(event) === false) continue;
      const key = b.detector.keyOf(event);
      const ctx = this.fill(b.ctx, rules, watermark, key, event.accountId, partition);
      const state = b.store.touch(key, b.member, event.eventTime, b.create);
      const findings = b.detector.onEvent(state, event, ctx);
      if (findings.length > 0) out = this.enforce(findings, out);
    }
    out = this.fireTimers(partition, watermark, out);
    if (++this.sinceSweep >= this.options.sweepEveryEvents) this.sweep();
    return out ?? NO_VIOLATIONS;
  }

  /** Evicts state whose TTL has passed under the low watermark, and reports sizes. */
  sweep(): void {
    this.sinceSweep = 0;
    const low = this.clock.lowWatermark(this.now);
    for (const store of this.stores) store.sweep(low);
    for (const b of this.bound) this.observer.stateSize(b.detector.name, b.store.liveCount(b.member));
  }

  /** The whole state as plain data. Every detector must have a codec. */
  snapshot(): PipelineSnapshot {
    return {
      watermarks: this.clock.toData(),
      seen: [...this.seen].map(([p, f]) => [p, f.toData()]),
      detectors: this.bound.map((b) => {
        const codec = b.detector.codec;
        if (!codec) throw new Error(`detector ${b.detector.name} has no state codec`);
        return { detector: b.detector.name, entries: [...b.store.all(b.member)].map((e) => ({ key: e.key, lastEventTime: e.lastEventTime, data: codec.encode(e.state) })) };
      }),
      enforcer: this.enforcer.toData(),
    };
  }

  /**
   * Loads a snapshot into this pipeline (replacing each detector's state) and
   * lets detectors re-register their timers on `partition`.
   */
  restore(snapshot: PipelineSnapshot, partition = 0): void {
    this.clock = Watermarks.fromData(snapshot.watermarks, this.watermarkOptions(), this.now);
    for (const [p, data] of snapshot.seen ?? []) this.seen.set(p, DuplicateFilter.fromData(data, this.options.duplicateHorizon ?? data.capacity));
    this.enforcer.restore(snapshot.enforcer);
    const watermark = this.clock.watermark(partition);
    for (const saved of snapshot.detectors) {
      const b = this.bound.find((x) => x.detector.name === saved.detector);
      if (!b) continue;
      const codec = b.detector.codec;
      if (!codec) throw new Error(`detector ${b.detector.name} has no state codec`);
      b.store.clearMember(b.member);
      for (const e of saved.entries) {
        const state = codec.decode(e.data);
        b.store.restore(e.key, b.member, state, e.lastEventTime);
        // Most detectors are keyed by account: the key then gives the tier; other keys fall back to the untiered rules.
        if (b.detector.onRestore) b.detector.onRestore(this.restored(b, e.key, state), e.key, this.fill(b.ctx, rulesFor(this.policy, e.key), watermark, e.key, e.key, partition));
      }
    }
  }

  /**
   * Everything changed since the last call, key by key (needs trackChanges):
   * what one changelog commit writes. Evicted keys come back as null.
   */
  takeChanges(): PipelineChanges {
    const keys: [string, KeyState | null][] = [];
    this.index.drain((key, id) => keys.push([key, this.keyState(id)]));
    return { keys, enforcer: this.enforcer.takeChanges(), clock: this.clock.toData() };
  }

  /**
   * takeChanges() for a changelog that encodes as it goes: each changed key's
   * state is handed to `visit` to be written at once (null when the key is
   * gone), and the rest is returned. The state is written straight from the
   * live detectors' state (StateWriter): no plain data is built for it, and
   * nothing of one key outlives its visit.
   */
  drainChanges(visit: (key: string, state: KeyStateSource | null) => void): Omit<PipelineChanges, 'keys'> {
    this.index.drain((key, id) => {
      const slots = this.eachSlot(id);
      if (slots === 0) return visit(key, null);
      this.sourceId = id;
      this.sourceSlots = slots;
      visit(key, this.source);
      this.sourceId = NO_ID;
    });
    return { enforcer: this.enforcer.takeChanges(), clock: this.clock.toData() };
  }

  /**
   * Loads a partition's state read back from a changelog into this (fresh)
   * pipeline, oldest key first so that recency order, and with it eviction
   * order, is as it was; then lets detectors re-register their timers. State
   * of a detector that is gone, or in a format version its codec no longer
   * reads (StateCodec.reads), is dropped and counted rather than misread.
   */
  restoreState(state: PartitionState, partition: number): RestoreReport {
    if (state.clock) this.clock = Watermarks.fromData(state.clock, this.watermarkOptions(), this.now);
    this.enforcer.restore(state.enforcer);
    const byName = new Map(this.bound.map((b) => [b.detector.name, b]));
    const latest = (k: KeyState): number => Math.max(...Object.values(k).map((slot) => slot.t));
    const keys = [...state.keys].sort((a, b) => latest(a[1]) - latest(b[1]));
    const restored: [Bound, string, unknown][] = [];
    const report: RestoreReport = { keys: keys.length, slots: 0, dropped: 0 };
    for (const [key, slots] of keys) {
      for (const [name, slot] of Object.entries(slots)) {
        const b = byName.get(name);
        const codec = b?.detector.codec;
        if (!b || !codec || (slot.v !== (codec.version ?? 1) && codec.reads?.includes(slot.v) !== true)) {
          report.dropped++;
          continue;
        }
        const decoded = codec.decode(slot.s, slot.v);
        b.store.restore(key, b.member, decoded, slot.t);
        restored.push([b, key, decoded]);
        report.slots++;
      }
    }
    const watermark = this.clock.watermark(partition);
    for (const [b, key, decoded] of restored) {
      if (b.detector.onRestore) b.detector.onRestore(this.restored(b, key, decoded), key, this.fill(b.ctx, rulesFor(this.policy, key), watermark, key, key, partition));
    }
    // What was just read back is already in the changelog.
    this.takeChanges();
    return report;
  }

  /** The state a restore put in the store: the decoded one itself, or for a detector with rows its row (the store copied it in). */
  private restored(b: Bound, key: string, decoded: unknown): unknown {
    return b.detector.rows === undefined ? decoded : b.store.peek(key, b.member);
  }

  /** The changelog state of the key with id `id` from its entries in every store: null once it has none. */
  private keyState(id: number): KeyState | null {
    const out: KeyState = {};
    const count = this.eachSlot(id, (b, state, lastEventTime) => {
      const codec = codecOf(b);
      out[b.detector.name] = { t: lastEventTime, v: codec.version ?? 1, s: codec.encode(state) };
    });
    return count === 0 ? null : out;
  }

  /** Writes what value(keyState(id)) writes, field for field, each detector's state by its codec's write if it has one. */
  private writeKeyState(id: number, slots: number, out: StateWriter): void {
    out.object(slots);
    this.slotsOut = out;
    this.eachSlot(id, this.writeSlot);
    this.slotsOut = undefined;
  }

  /** writeKeyState's visitor, made once rather than a closure per key (every changed key of every commit). */
  private readonly writeSlot = (b: Bound, state: unknown, lastEventTime: number): void => {
    const out = this.slotsOut as StateWriter;
    const codec = codecOf(b);
    out.field(b.field);
    out.object(3);
    out.field(F.t);
    out.number(lastEventTime);
    out.field(F.v);
    out.number(codec.version ?? 1);
    out.field(F.s);
    if (codec.write) codec.write(state, out);
    else out.value(codec.encode(state));
  };

  /**
   * Hands each detector's state of the key with id `id` (NO_ID: none) to `visit`, in changelog order (store, then
   * member), and says how many there are: the fields of the key's KeyState.
   */
  private eachSlot(id: number, visit?: (b: Bound, state: unknown, lastEventTime: number) => void): number {
    if (id === NO_ID) return 0;
    let count = 0;
    const lifetimes = this.index.lifetimes(id);
    for (let lifetime = 0; lifetime < this.stores.length; lifetime++) {
      if ((lifetimes & (1 << lifetime)) === 0) continue;
      const store = this.stores[lifetime] as SlottedState;
      const members = this.byLifetime[lifetime] ?? [];
      for (let m = 0; m < members.length; m++) {
        const state = store.stateAt(m, id);
        const b = members[m];
        if (state === undefined || b === undefined) continue;
        count++;
        visit?.(b, state, store.timeAt(id));
      }
    }
    return count;
  }

  private watermarkOptions(): { allowedDisorderMs: number; idleTimeoutMs: number } {
    return { allowedDisorderMs: this.options.allowedDisorderMs, idleTimeoutMs: this.options.idleTimeoutMs ?? Number.POSITIVE_INFINITY };
  }

  /**
   * At-least-once delivery redelivers records after a crash or a retried
   * batch; the same eventId on the same partition is counted once.
   */
  private isDuplicate(event: TelemetryEvent, partition: number): boolean {
    const horizon = this.options.duplicateHorizon ?? 0;
    if (horizon <= 0) return false;
    let filter = this.seen.get(partition);
    if (!filter) {
      filter = new DuplicateFilter(horizon);
      this.seen.set(partition, filter);
    }
    return filter.check(event.eventId) === 'duplicate';
  }

  private fill(ctx: BoundContext, rules: BoundContext['rules'], watermark: number, key: string, accountId: string, partition: number): BoundContext {
    ctx.policy = this.policy;
    ctx.rules = rules;
    ctx.watermark = watermark;
    ctx.key = key;
    ctx.accountId = accountId;
    ctx.partition = partition;
    return ctx;
  }

  private schedule(partition: number, at: number, detector: number, key: string, accountId: string): void {
    let queue = this.timers.get(partition);
    if (!queue) {
      // Timers are a handful per open call or pending check: a few per key is plenty.
      queue = new TimerQueue(this.options.maxKeysPerDetector * 4);
      this.timers.set(partition, queue);
    }
    const dropped = queue.push(at, detector, key, accountId);
    if (dropped !== NOT_DROPPED) this.observer.evicted(this.bound[dropped]?.detector.name ?? 'unknown', 'capacity', 1);
  }

  private fireTimers(partition: number, watermark: number, out: Violation[] | undefined): Violation[] | undefined {
    const queue = this.timers.get(partition);
    if (!queue || queue.nextAt > watermark) return out;
    for (const timer of queue.popDue(watermark)) {
      const b = this.bound[timer.detector];
      const state = b?.store.peek(timer.key, b.member);
      if (!b || state === undefined || !b.detector.onTimer) continue;
      const ctx = this.fill(b.ctx, rulesFor(this.policy, timer.accountId), watermark, timer.key, timer.accountId, partition);
      out = this.enforce(b.detector.onTimer(state, timer.key, timer.at, ctx), out);
      b.store.markChanged(timer.key);
    }
    return out;
  }

  /** Decides each finding; returns `out` with the violations to publish appended (made if there is a first one). */
  private enforce(findings: readonly Finding[], out: Violation[] | undefined): Violation[] | undefined {
    for (const finding of findings) {
      const outcome = this.enforcer.decide(finding, this.policy);
      this.observer.finding(finding, outcome.kind);
      if (outcome.kind === 'publish') (out ??= []).push(outcome.violation);
    }
    return out;
  }
}

