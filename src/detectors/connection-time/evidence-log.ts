import type { EvidenceRingData } from '../../engine/evidence-ring';
import { EVIDENCE_SAMPLE } from './rules';
import { fields, type StateWriter } from '../../engine/state-writer';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('capacity', 'ids', 'times', 'next');

/**
 * The empty list of every state that has none yet, shared rather than 32
 * bytes each: frozen, so a write would throw, and the lists here are only
 * written in place once at their cap (under it they are replaced).
 */
export const NONE: never[] = [];
Object.freeze(NONE);

/**
 * The newest EVIDENCE_SAMPLE `end` events of an account with their event
 * times, oldest first: what the engine's EvidenceRing keeps, in exact-size
 * arrays. The ring's arrays, grown by push(), hold room for 16 entries each
 * from the first one on; these grow one entry at a time (a copy of at most
 * ten, and most accounts end a few calls a day), then shift in place. Its
 * data is the ring's (EvidenceRingData), so a record reads the same either way.
 */
export class EvidenceLog {
  private ids: string[] = NONE;
  private times: number[] = NONE;

  push(eventId: string, eventTime: number): void {
    this.ids = appendBounded(this.ids, eventId, EVIDENCE_SAMPLE);
    // Not through appendBounded: an array literal there holds strings too, and a time in it would be boxed (16 bytes more).
    if (this.times.length < EVIDENCE_SAMPLE) {
      this.times = this.times.concat([eventTime]);
    } else {
      for (let i = 1; i < this.times.length; i++) this.times[i - 1] = this.times[i] ?? 0;
      this.times[this.times.length - 1] = eventTime;
    }
  }

  /** Ids of events at or after `fromTime`, oldest first. */
  since(fromTime: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.ids.length; i++) if ((this.times[i] ?? Number.NEGATIVE_INFINITY) >= fromTime) out.push(this.ids[i] ?? '');
    return out;
  }

  /** A copy, as a ring with its oldest entry first. */
  toData(): EvidenceRingData {
    return { capacity: EVIDENCE_SAMPLE, ids: this.ids.slice(), times: this.times.slice(), next: 0 };
  }

  /** What value(toData()) writes, without the copies (StateWriter). */
  writeData(out: StateWriter): void {
    out.object(4);
    out.field(F.capacity);
    out.number(EVIDENCE_SAMPLE);
    out.field(F.ids);
    out.value(this.ids);
    out.field(F.times);
    out.value(this.times);
    out.field(F.next);
    out.number(0);
  }

  /** From ring data, whichever entry its `next` points at. */
  static fromData(data: EvidenceRingData): EvidenceLog {
    const n = data.ids.length;
    if (data.capacity !== EVIDENCE_SAMPLE || n > EVIDENCE_SAMPLE || data.times.length !== n || !Number.isInteger(data.next)) throw new RangeError('connection_time: evidence data out of range');
    const log = new EvidenceLog();
    if (n === 0) return log;
    const at = (i: number): number => (data.next + i) % n;
    log.ids = Array.from({ length: n }, (_, i) => data.ids[at(i)] ?? '');
    log.times = Array.from({ length: n }, (_, i) => data.times[at(i)] ?? Number.NEGATIVE_INFINITY);
    return log;
  }
}

/**
 * `list` with `item` appended and the oldest dropped past `cap`: a new array
 * one longer while under the cap (exact size), the same array shifted in
 * place once full (a heavy caller's every `end` must not copy it). For
 * strings (see push).
 */
export function appendBounded(list: string[], item: string, cap: number): string[] {
  if (list.length < cap) return list.concat([item]);
  if (list.length > cap) return list.slice(list.length - cap + 1).concat([item]);
  for (let i = 1; i < list.length; i++) list[i - 1] = list[i] ?? '';
  list[list.length - 1] = item;
  return list;
}
