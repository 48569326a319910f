/**
 * Event time per partition, as Kafka Streams keeps stream time: the highest
 * event time seen on that partition. The watermark trails it by the allowed
 * disorder. The process-wide watermark is the lowest of its partitions', so
 * one slow partition holds back TTL eviction rather than losing state.
 */
export class StreamClock {
  private readonly streamTime = new Map<number, number>();

  constructor(private readonly allowedDisorderMs: number) {}

  observe(partition: number, eventTime: number): void {
    const seen = this.streamTime.get(partition);
    if (seen === undefined || eventTime > seen) this.streamTime.set(partition, eventTime);
  }

  watermark(partition: number): number {
    const seen = this.streamTime.get(partition);
    return seen === undefined ? Number.NEGATIVE_INFINITY : seen - this.allowedDisorderMs;
  }

  /** Lowest watermark across partitions seen; -Infinity before any event. */
  lowWatermark(): number {
    let low = Number.POSITIVE_INFINITY;
    for (const t of this.streamTime.values()) low = Math.min(low, t);
    return low === Number.POSITIVE_INFINITY ? Number.NEGATIVE_INFINITY : low - this.allowedDisorderMs;
  }

  /** Stream time of every partition seen, for a snapshot. */
  snapshot(): [number, number][] {
    return [...this.streamTime];
  }

  restore(entries: readonly [number, number][]): void {
    for (const [partition, time] of entries) this.observe(partition, time);
  }

  /** A partition moved to another process: forget its time. */
  forget(partition: number): void {
    this.streamTime.delete(partition);
  }
}
