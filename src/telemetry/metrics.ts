import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Finding } from '../detectors/types';
import type { EvictionReason } from '../engine/slotted-state';
import type { PipelineObserver } from '../engine/pipeline';
import type { EnforcementOutcome } from '../enforcement/enforcer';
import type { EventType } from '../events/types';

/**
 * Every metric the service exports. Labels are bounded sets (event type,
 * topic, detector, rule, error code): never an account, number or text.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly events = new Counter({ name: 'abuse_events_total', help: 'Valid telemetry events processed, by type', labelNames: ['type'], registers: [this.registry] });
  private readonly duplicates = new Counter({ name: 'abuse_duplicate_events_total', help: 'Redelivered events (an eventId already processed on its partition), not counted again', labelNames: ['type'], registers: [this.registry] });
  private readonly records = new Counter({ name: 'abuse_records_consumed_total', help: 'Kafka records consumed, by topic', labelNames: ['topic'], registers: [this.registry] });
  private readonly deadLetters = new Counter({ name: 'abuse_dead_letters_total', help: 'Records sent to the dead-letter topic, by source topic and error code', labelNames: ['topic', 'code'], registers: [this.registry] });
  private readonly findings = new Counter({ name: 'abuse_findings_total', help: 'Detector findings, by outcome (publish, shadow, duplicate, cooldown, allowed)', labelNames: ['category', 'rule', 'outcome'], registers: [this.registry] });
  private readonly violationsProduced = new Counter({ name: 'abuse_violations_produced_total', help: 'Violations acknowledged by the enforcement topic', registers: [this.registry] });
  private readonly lateEvents = new Counter({ name: 'abuse_late_events_total', help: 'Events that arrived after their window was gone', labelNames: ['detector', 'rule'], registers: [this.registry] });
  private readonly stateKeys = new Gauge({ name: 'abuse_state_keys', help: 'Keys held in detector state, by input partition', labelNames: ['detector', 'partition'], registers: [this.registry] });
  private readonly restoring = new Gauge({ name: 'abuse_partitions_restoring', help: 'Input partitions whose state is being restored from the changelog (not ready while > 0)', registers: [this.registry] });
  private readonly restoreSeconds = new Histogram({ name: 'abuse_state_restore_seconds', help: 'Time to restore the state of newly assigned partitions from the changelog', buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120], registers: [this.registry] });
  private readonly restoredRecords = new Counter({ name: 'abuse_state_restored_records_total', help: 'Changelog records read back while restoring', registers: [this.registry] });
  private readonly restoreDropped = new Counter({ name: 'abuse_state_restore_dropped_total', help: 'Restored state entries dropped: detector gone, or its codec format version changed', registers: [this.registry] });
  private readonly transactions = new Counter({ name: 'abuse_transactions_total', help: 'Kafka transactions (violations, dead letters, changelog, offsets), by result (commit, abort)', labelNames: ['result'], registers: [this.registry] });
  private readonly changelogRecords = new Counter({ name: 'abuse_changelog_records_total', help: 'State changelog records written', registers: [this.registry] });
  private readonly detectorsByPartition = new Map<number, Set<string>>();
  private readonly evictions = new Counter({ name: 'abuse_state_evictions_total', help: 'Keys evicted from detector state, by reason (ttl, capacity)', labelNames: ['detector', 'reason'], registers: [this.registry] });
  private readonly batchSeconds = new Histogram({ name: 'abuse_batch_duration_seconds', help: "Time to process one fetched batch, with its fetch's commits when it is the fetch's last", buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry] });
  private readonly policyReloads = new Counter({ name: 'abuse_policy_reloads_total', help: 'Policy reloads, by result (ok, rejected)', labelNames: ['result'], registers: [this.registry] });

  constructor(withProcessMetrics = true) {
    if (withProcessMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** The pipeline observer of one input partition's pipeline: state sizes are reported per partition. */
  forPartition(partition: number): PipelineObserver {
    const detectors = new Set<string>();
    this.detectorsByPartition.set(partition, detectors);
    return {
      event: (type) => this.event(type),
      duplicate: (type) => this.duplicate(type),
      late: (detector, rule) => this.late(detector, rule),
      finding: (finding, outcome) => this.finding(finding, outcome),
      evicted: (detector, reason, count) => this.evicted(detector, reason, count),
      stateSize: (detector, keys) => {
        detectors.add(detector);
        this.stateKeys.set({ detector, partition: String(partition) }, keys);
      },
    };
  }

  /** The partition moved away: its state-size series go with it. */
  releasePartition(partition: number): void {
    for (const detector of this.detectorsByPartition.get(partition) ?? []) this.stateKeys.remove({ detector, partition: String(partition) });
    this.detectorsByPartition.delete(partition);
  }

  event(type: EventType): void {
    this.events.inc({ type });
  }
  duplicate(type: EventType): void {
    this.duplicates.inc({ type });
  }
  late(detector: string, rule: string): void {
    this.lateEvents.inc({ detector, rule });
  }
  finding(finding: Finding, outcome: EnforcementOutcome['kind']): void {
    this.findings.inc({ category: finding.category, rule: finding.rule, outcome });
  }
  evicted(detector: string, reason: EvictionReason, count: number): void {
    this.evictions.inc({ detector, reason }, count);
  }

  recordsConsumed(topic: string, count: number): void {
    this.records.inc({ topic }, count);
  }
  deadLettered(topic: string, code: string): void {
    this.deadLetters.inc({ topic, code });
  }
  violationsAcked(count: number): void {
    this.violationsProduced.inc(count);
  }
  batchDone(seconds: number): void {
    this.batchSeconds.observe(seconds);
  }
  restoreStarted(partitions: number): void {
    this.restoring.inc(partitions);
  }
  restoreFinished(partitions: number, seconds: number): void {
    this.restoring.dec(partitions);
    this.restoreSeconds.observe(seconds);
  }
  partitionRestored(records: number, dropped: number): void {
    this.restoredRecords.inc(records);
    this.restoreDropped.inc(dropped);
  }
  transaction(result: 'commit' | 'abort', changelogRecords = 0): void {
    this.transactions.inc({ result });
    this.changelogRecords.inc(changelogRecords);
  }
  policyReloaded(result: 'ok' | 'rejected'): void {
    this.policyReloads.inc({ result });
  }
}
