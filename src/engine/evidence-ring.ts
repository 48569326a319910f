import { exactCopy } from './exact-copy';

/**
 * The most recent event ids of one key, with their event times: the bounded
 * evidence sample a finding carries. At most `capacity`, then overwritten in
 * place. Its arrays grow one entry at a time (a copy of at most `capacity`)
 * from a shared empty one: push() on an empty array reserves 17 slots, about
 * 400 bytes a ring for keys that keep one or two ids.
 */
const EMPTY: never[] = [];
Object.freeze(EMPTY);

export interface EvidenceRingData {
  capacity: number;
  ids: string[];
  times: number[];
  next: number;
}

export class EvidenceRing {
  private ids: string[] = EMPTY;
  private times: number[] = EMPTY;
  private next = 0;

  constructor(private readonly capacity: number) {}

  /** Plain data for a state snapshot (the changelog); fromData() gives the same ring back. */
  toData(): EvidenceRingData {
    return { capacity: this.capacity, ids: [...this.ids], times: [...this.times], next: this.next };
  }

  static fromData(data: EvidenceRingData): EvidenceRing {
    const ring = new EvidenceRing(data.capacity);
    if (data.ids.length > 0) ring.ids = exactCopy(data.ids.slice(0, data.capacity));
    if (data.times.length > 0) ring.times = exactCopy(data.times.slice(0, data.capacity));
    ring.next = data.next % Math.max(1, data.capacity);
    return ring;
  }

  push(eventId: string, eventTime: number): void {
    if (this.ids.length < this.capacity) {
      this.ids = this.ids.concat([eventId]);
      this.times = this.times.concat([eventTime]);
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
