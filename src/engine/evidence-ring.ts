/**
 * The most recent event ids of one key, with their event times: the bounded
 * evidence sample a finding carries. Fixed size, overwritten in place.
 */
export interface EvidenceRingData {
  capacity: number;
  ids: string[];
  times: number[];
  next: number;
}

export class EvidenceRing {
  private readonly ids: string[] = [];
  private readonly times: number[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  /** Plain data for a state snapshot (the changelog); fromData() gives the same ring back. */
  toData(): EvidenceRingData {
    return { capacity: this.capacity, ids: [...this.ids], times: [...this.times], next: this.next };
  }

  static fromData(data: EvidenceRingData): EvidenceRing {
    const ring = new EvidenceRing(data.capacity);
    ring.ids.push(...data.ids.slice(0, data.capacity));
    ring.times.push(...data.times.slice(0, data.capacity));
    ring.next = data.next % Math.max(1, data.capacity);
    return ring;
  }

  push(eventId: string, eventTime: number): void {
    if (this.ids.length < this.capacity) {
      this.ids.push(eventId);
      this.times.push(eventTime);
      return;
    }
    this.ids[this.next] = eventId;
    this.times[this.next] = eventTime;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Ids of events at or after `fromTime`, oldest first. */
  since(fromTime: number): string[] {
    const out: string[] = [];
    const n = this.ids.length;
    for (let i = 0; i < n; i++) {
      const at = (this.next + i) % n;
      if ((this.times[at] ?? Number.NEGATIVE_INFINITY) >= fromTime) out.push(this.ids[at] ?? '');
    }
    return out;
  }
}
