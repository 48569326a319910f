import type { Admin } from 'kafkajs';

/** Deletes every topic under the bench's prefix (the peer's internal topics too) and the bench's consumer groups. */
export async function deleteBenchTopics(admin: Admin, prefix: string, groups: readonly string[]): Promise<string[]> {
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  const known = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
  const mine = groups.filter((g) => known.has(g));
  if (mine.length > 0) await admin.deleteGroups(mine).catch(() => undefined);
  return topics;
}
