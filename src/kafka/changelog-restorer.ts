import type { Kafka } from 'kafkajs';
import { PartitionStateBuilder } from '../engine/partition-state-builder';
import type { PartitionState } from '../engine/state-changes';
import { applyChangelogRecord } from './changelog-records';
import { readToEnd } from './read-to-end';

/** A partition's state as the changelog's last committed transaction left it. */
export interface RestoredPartition {
  state: PartitionState;
  /** Next input offset per topic that the state reflects; empty when nothing was ever committed. */
  offsets: Map<string, string>;
  records: number;
}

export interface RestoreOptions {
  /** The service's group id; the restore reads in a throwaway group derived from it. */
  groupId: string;
  /** Called while reading, so the caller's own consumer keeps its group membership. */
  keepAlive?: () => Promise<void>;
}

/**
 * Reads changelog partitions to their end, read_committed, and folds them
 * into state. Call it only after the partitions' transactional producers
 * have initialised: that fences any previous owner and aborts its open
 * transaction, so none is pending and the end offset is final.
 */
export async function restoreChangelog(kafka: Kafka, topic: string, partitions: readonly number[], options: RestoreOptions): Promise<Map<number, RestoredPartition>> {
  const builders = new Map(partitions.map((p) => [p, new PartitionStateBuilder()]));
  const offsets = new Map(partitions.map((p) => [p, new Map<string, string>()]));
  if (partitions.length > 0) {
    await readToEnd(kafka, topic, {
      partitions,
      groupPrefix: `${options.groupId}-restore`,
      keepAlive: options.keepAlive,
      onBatch: (partition, messages) => {
        const builder = builders.get(partition);
        const found = offsets.get(partition);
        if (!builder || !found) return;
        for (const m of messages) applyChangelogRecord(m, builder, found, `${topic}[${partition}]@${m.offset}`);
      },
    });
  }
  const out = new Map<number, RestoredPartition>();
  for (const [p, builder] of builders) out.set(p, { state: builder.build(), offsets: offsets.get(p) ?? new Map<string, string>(), records: builder.entries });
  return out;
}
