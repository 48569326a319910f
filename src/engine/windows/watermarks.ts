/**
 * Stream time and watermarks per partition, and the process-wide low
 * watermark, with Flink's idleness timeout.
 *
 * Why per partition: Kafka orders records within a partition only, so each
 * partition's stream time (the highest event time seen on it, as in Kafka
 * Streams) is tracked on its own. Its watermark trails that by the allowed
 * disorder: "events up to this time have, we assume, all arrived".
 *
 * Why a minimum: state shared across partitions (TTL sweeps, windows that
 * close for every key) may only treat a time as past once every partition has
 * passed it, so the low watermark is the lowest partition watermark. A
 * partition that was assigned but has sent nothing yet holds it at -Infinity.
 *
 * Why an idleness timeout: one partition with no traffic (a quiet region, a
 * stalled producer) would hold the low watermark back forever, and no window
 * would ever close. A partition that has received nothing for more than
 * `idleTimeoutMs` of *processing time* stops holding it back. Processing time
 * is passed in by the caller (the consumer loop's clock, or a replay's
 * simulated one); this module never reads a clock. When every partition is
 * idle, nothing more is coming, so the low watermark moves up to the highest
 * partition watermark (Flink flushes the same way): windows that the busier
 * partitions had already passed close without waiting for the quiet ones.
 * Event time itself does not advance without events: a window ending after
 * the newest event closes when traffic resumes (or at a shutdown flush).
 *
 * Why monotonic: the low watermark never goes back. An idle partition that
 * receives an event rejoins at once and holds the low watermark again, but
 * while it is behind it only stops it advancing; its records older than the
 * low watermark are late, and the windows report them, as an idleness timeout
 * trades some lateness for progress.
 */
export interface WatermarkOptions {
  /** How far event time may run backwards within a partition before events are late. */
  allowedDisorderMs: number;
  /** Processing time without events after which a partition stops holding the low watermark back. */
  idleTimeoutMs: number;
}

/** Plain data for the changelog: stream time per partition and the low watermark reached. */
export interface WatermarksData {
  streamTime: [number, number][];
  low: number;
}

interface PartitionTime {
  streamTime: number;
  /** Processing time of the last event (or of the assignment). */
  lastActiveAt: number;
}

export class Watermarks {
  private readonly partitions = new Map<number, PartitionTime>();
  private low = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: WatermarkOptions) {
    if (!(options.allowedDisorderMs >= 0) || !Number.isFinite(options.allowedDisorderMs)) throw new RangeError(`allowedDisorderMs must be a finite number ≥ 0, got ${options.allowedDisorderMs}`);
    if (!(options.idleTimeoutMs >= 0)) throw new RangeError(`idleTimeoutMs must be ≥ 0 (Infinity: never idle), got ${options.idleTimeoutMs}`);
  }

  /** A partition this process now owns: it holds the low watermark back until it sends events or goes idle. */
  assign(partition: number, now: number): void {
    if (!this.partitions.has(partition)) this.partitions.set(partition, { streamTime: Number.NEGATIVE_INFINITY, lastActiveAt: now });
  }

  /** A partition moved to another process: it no longer holds anything back. */
  release(partition: number): void {
    this.partitions.delete(partition);
  }

  /** Records an event; returns the partition's watermark after it. */
  observe(partition: number, eventTime: number, now: number): number {
    if (!Number.isFinite(eventTime)) throw new RangeError(`event time must be a finite number, got ${eventTime}`);
    const p = this.partitions.get(partition);
    if (!p) {
      this.partitions.set(partition, { streamTime: eventTime, lastActiveAt: now });
    } else {
      if (eventTime > p.streamTime) p.streamTime = eventTime;
      p.lastActiveAt = now;
    }
    return this.watermark(partition);
  }

  streamTime(partition: number): number {
    return this.partitions.get(partition)?.streamTime ?? Number.NEGATIVE_INFINITY;
  }

  /** Stream time minus the allowed disorder; -Infinity before any event. */
  watermark(partition: number): number {
    return this.streamTime(partition) - this.options.allowedDisorderMs;
  }

  /** More than idleTimeoutMs of processing time since the partition's last event. */
  isIdle(partition: number, now: number): boolean {
    const p = this.partitions.get(partition);
    return p !== undefined && now - p.lastActiveAt > this.options.idleTimeoutMs;
  }

  /**
   * The lowest watermark over partitions that are not idle at `now` (the
   * highest over all when every one is idle), never lower than before.
   */
  lowWatermark(now: number): number {
    let lowestActive = Number.POSITIVE_INFINITY;
    let highest = Number.NEGATIVE_INFINITY;
    for (const [partition, p] of this.partitions) {
      const wm = p.streamTime - this.options.allowedDisorderMs;
      if (wm > highest) highest = wm;
      if (!this.isIdle(partition, now) && wm < lowestActive) lowestActive = wm;
    }
    const candidate = lowestActive === Number.POSITIVE_INFINITY ? highest : lowestActive;
    if (candidate > this.low) this.low = candidate;
    return this.low;
  }

  toData(): WatermarksData {
    return { streamTime: [...this.partitions].map(([partition, p]): [number, number] => [partition, p.streamTime]), low: this.low };
  }

  /** Restored partitions count as active from `now`: processing time does not survive a restart. */
  static fromData(data: WatermarksData, options: WatermarkOptions, now: number): Watermarks {
    const w = new Watermarks(options);
    for (const [partition, streamTime] of data.streamTime) w.partitions.set(partition, { streamTime, lastActiveAt: now });
    w.low = data.low;
    return w;
  }
}
