import { AssignerProtocol, type Assignment, type PartitionAssigner } from 'kafkajs';

/**
 * Gives partition p of every subscribed topic to the same member, as Kafka
 * Streams does for co-partitioned inputs. kafkajs's round-robin assigner
 * spreads topic-partitions independently, which would split one account's
 * calls and messages across processes and halve what each detector sees.
 */
export const CO_PARTITIONED_ASSIGNER_NAME = 'AbuseDetectorCoPartitioned';

export function assignCoPartitioned(memberIds: readonly string[], partitionsByTopic: ReadonlyMap<string, readonly number[]>): Map<string, Assignment> {
  const members = [...memberIds].sort();
  const out = new Map<string, Assignment>(members.map((m) => [m, {}]));
  if (members.length === 0) return out;
  for (const [topic, partitions] of partitionsByTopic) {
    for (const partition of partitions) {
      const member = members[partition % members.length] as string;
      const assignment = out.get(member) as Assignment;
      (assignment[topic] ??= []).push(partition);
    }
  }
  return out;
}

export const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: CO_PARTITIONED_ASSIGNER_NAME,
  version: 0,
  assign({ members, topics }) {
    const partitionsByTopic = new Map(topics.map((t) => [t, cluster.findTopicPartitionMetadata(t).map((m) => m.partitionId)]));
    const assignments = assignCoPartitioned(members.map((m) => m.memberId), partitionsByTopic);
    return Promise.resolve(
      [...assignments].map(([memberId, assignment]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment, userData: Buffer.alloc(0) }),
      })),
    );
  },
  protocol({ topics }) {
    return { name: CO_PARTITIONED_ASSIGNER_NAME, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
  },
});
