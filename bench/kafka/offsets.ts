import type { Admin } from 'kafkajs';

/**
 * How far a consumer group is through a fixed set of records: the sum, over
 * every partition, of end offset − committed offset. Zero means every input
 * record was processed and committed; our detector commits input offsets only
 * after its violations are acknowledged (or in the same transaction), so zero
 * also means every violation is out.
 */
export type PartitionOffsets = Map<string, number>;

const keyOf = (topic: string, partition: number): string => `${topic}:${partition}`;

export async function endOffsets(admin: Admin, topics: readonly string[]): Promise<PartitionOffsets> {
  const out: PartitionOffsets = new Map();
  for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) out.set(keyOf(topic, p.partition), Number(p.high));
  return out;
}

export async function committedOffsets(admin: Admin, groupId: string, topics: readonly string[]): Promise<PartitionOffsets> {
  const out: PartitionOffsets = new Map();
  for (const t of await admin.fetchOffsets({ groupId, topics: [...topics] })) {
    // -1: nothing committed yet on that partition.
    for (const p of t.partitions) out.set(keyOf(t.topic, p.partition), Math.max(0, Number(p.offset)));
  }
  return out;
}

export const total = (offsets: PartitionOffsets): number => [...offsets.values()].reduce((a, b) => a + b, 0);

export function remaining(ends: PartitionOffsets, committed: PartitionOffsets): number {
  let left = 0;
  for (const [k, end] of ends) left += Math.max(0, end - (committed.get(k) ?? 0));
  return left;
}

export interface Progress {
  /** Wall time (ms since the epoch) when the group had committed everything. */
  doneAt: number;
  /** Wall time of the first poll that saw any commit. */
  firstCommitAt: number;
  /** Records committed, sampled at each poll: [ms since the epoch, records]. */
  samples: [number, number][];
}

/** Polls the group's commits until they reach the end offsets; fails if the process dies or time runs out. */
export async function waitUntilCommitted(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
  ends: PartitionOffsets,
  opts: { pollMs: number; timeoutMs: number; alive: () => boolean; onProgress?: (done: number, of: number) => void },
): Promise<Progress> {
  const of = total(ends);
  const deadline = Date.now() + opts.timeoutMs;
  const samples: [number, number][] = [];
  let firstCommitAt = 0;
  for (;;) {
    const committed = await committedOffsets(admin, groupId, topics);
    const now = Date.now();
    const done = of - remaining(ends, committed);
    samples.push([now, done]);
    if (done > 0 && firstCommitAt === 0) firstCommitAt = now;
    opts.onProgress?.(done, of);
    if (done >= of) return { doneAt: now, firstCommitAt, samples };
    if (!opts.alive()) throw new Error(`${groupId}: the process exited with ${of - done} records not yet committed`);
    if (now > deadline) throw new Error(`${groupId}: ${of - done} of ${of} records still uncommitted after ${opts.timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, opts.pollMs));
  }
}
