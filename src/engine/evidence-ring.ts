/**
 * The most recent event ids of one key, with their event times: the bounded
 * evidence sample a finding carries. Fixed size, overwritten in place.
 */
export class EvidenceRing {
  private readonly ids: string[] = [];
  private readonly times: number[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

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
