import { EVIDENCE_SAMPLE } from './rules';
import { fields, type StateWriter, writeSlice } from '../../engine/state-writer';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('ids', 'times', 'samples');

/**
 * The evidence samples of an account: each is what an EvidenceRing of its
 * own would hold, the newest EVIDENCE_SAMPLE events pushed to it. One event
 * is usually evidence for several (a dialled call is an origination, a call
 * whose spacing is judged, maybe an API call), so they share one log instead.
 */
export const SAMPLE = {
  /** Originations of both kinds: sustained_origination_rate and no_diurnal_rest. */
  recent: 1,
  /** regular_interarrival, one sample per kind: the calls, and the messages, whose spacing it judged. */
  calls: 2,
  messages: 4,
  /** api_originations_per_hour: every API delivery, fan-outs included. */
  api: 8,
  /** short_answered_calls: the `end`s of short answered calls. */
  shortCalls: 16,
} as const;
export type Sample = (typeof SAMPLE)[keyof typeof SAMPLE];
const ALL_SAMPLES = Object.values(SAMPLE).reduce<number>((all, s) => all | s, 0);

/** Events per sample, in COUNT_BITS bits each of one small integer: up to EVIDENCE_SAMPLE + 1 (a push before its drop). */
const COUNT_BITS = 32 - Math.clz32(EVIDENCE_SAMPLE + 1);
const COUNT_MASK = 2 ** COUNT_BITS - 1;
const countShift = (sample: Sample): number => COUNT_BITS * (31 - Math.clz32(sample));

/** Shared by every log with no entries yet, rather than 32 bytes per array: frozen, and append() only writes in place into a free slot. */
const NONE: never[] = [];
Object.freeze(NONE);

/** The log as plain data for the changelog, entries oldest first; EvidenceLog.fromData() gives the same log back. */
export interface EvidenceLogData {
  ids: string[];
  times: number[];
  /** Per entry, the samples it belongs to (a sum of SAMPLE values). */
  samples: number[];
}

/**
 * Events oldest first, each stored once with the samples it belongs to. A
 * push to a sample takes the sample away from its oldest event once it holds
 * more than EVIDENCE_SAMPLE, and an event in no sample any more is removed, so
 * the log holds at most 5 × EVIDENCE_SAMPLE events (none for an account
 * that stays far under every limit: the rules push only near one), and one
 * slot more for a moment.
 *
 * The arrays grow one entry at a time (an array grown by push() keeps room
 * for 16 more); an entry removed leaves its slot free (cleared, so it keeps
 * no string alive) for the next push, so an account at a steady rate reuses
 * its slots rather than allocating on every event.
 */
export class EvidenceLog {
  private ids: string[] = NONE;
  private times: number[] = NONE;
  private samples: number[] = NONE;
  /** Entries in use, from index 0; the slots after them are free. */
  private size = 0;
  /** Entries per sample (see COUNT_BITS), so a push finds out without a scan whether its sample is over. */
  private counts = 0;

  /** Entries held, whatever their samples. */
  get length(): number {
    return this.size;
  }

  /**
   * Adds an event to `sample`. The same event pushed to another sample right
   * after (same id and time, the next rule looking at it) joins the entry
   * pushed last rather than taking one more.
   */
  push(eventId: string, eventTime: number, sample: Sample): void {
    const last = this.size - 1;
    const samples = this.samples[last] ?? 0;
    if (last >= 0 && (samples & sample) === 0 && this.ids[last] === eventId && this.times[last] === eventTime) this.samples[last] = samples | sample;
    else this.append(eventId, eventTime, sample);
    this.counts += 1 << countShift(sample);
    this.dropBeyondSample(sample);
  }

  /** Ids of the sample's events at or after `fromTime`, oldest first (as EvidenceRing.since). */
  since(sample: Sample, fromTime: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.size; i++) {
      if (((this.samples[i] ?? 0) & sample) !== 0 && (this.times[i] ?? Number.NEGATIVE_INFINITY) >= fromTime) out.push(this.ids[i] ?? '');
    }
    return out;
  }

  /** Takes every event out of `sample` (and out of the log, those in no other sample). */
  clear(sample: Sample): void {
    const shift = countShift(sample);
    if (((this.counts >>> shift) & COUNT_MASK) === 0) return;
    this.counts -= ((this.counts >>> shift) & COUNT_MASK) << shift;
    let kept = 0;
    for (let i = 0; i < this.size; i++) {
      const left = (this.samples[i] ?? 0) & ~sample;
      if (left === 0) continue;
      this.ids[kept] = this.ids[i] ?? '';
      this.times[kept] = this.times[i] ?? 0;
      this.samples[kept] = left;
      kept++;
    }
    // Freed slots are cleared, so they keep no string alive, and are reused by later pushes.
    for (let i = kept; i < this.size; i++) {
      this.ids[i] = '';
      this.times[i] = 0;
      this.samples[i] = 0;
    }
    this.size = kept;
  }

  /** A copy: the live log keeps changing after a snapshot is taken. */
  toData(): EvidenceLogData {
    return { ids: this.ids.slice(0, this.size), times: this.times.slice(0, this.size), samples: this.samples.slice(0, this.size) };
  }

  /** What value(toData()) writes, without the copies (StateWriter). */
  writeData(out: StateWriter): void {
    out.object(3);
    out.field(F.ids);
    writeSlice(out, this.ids, 0, this.size);
    out.field(F.times);
    writeSlice(out, this.times, 0, this.size);
    out.field(F.samples);
    writeSlice(out, this.samples, 0, this.size);
  }

  static fromData(data: EvidenceLogData): EvidenceLog {
    const n = data.ids.length;
    const counts = Object.values(SAMPLE).map((sample) => data.samples.filter((s) => (s & sample) !== 0).length);
    // A damaged record is refused: a sample over its size would hold events the live log would have let go.
    const fits = data.times.length === n && data.samples.length === n && data.samples.every((s) => Number.isInteger(s) && s >= 1 && (s & ~ALL_SAMPLES) === 0);
    if (!fits || counts.some((c) => c > EVIDENCE_SAMPLE)) throw new RangeError('automated_origination: evidence log data out of range');
    const log = new EvidenceLog();
    if (n === 0) return log;
    log.ids = data.ids.slice();
    log.times = data.times.slice();
    log.samples = data.samples.slice();
    log.size = n;
    log.counts = Object.values(SAMPLE).reduce((packed, sample, i) => packed + (counts[i] ?? 0) * (1 << countShift(sample)), 0);
    return log;
  }

  private append(eventId: string, eventTime: number, sample: Sample): void {
    const at = this.size;
    if (at < this.ids.length) {
      this.ids[at] = eventId;
      this.times[at] = eventTime;
      this.samples[at] = sample;
    } else {
      this.ids = this.ids.concat([eventId]);
      this.times = this.times.concat([eventTime]);
      this.samples = this.samples.concat([sample]);
    }
    this.size = at + 1;
  }

  /** After a push to `sample`: past EVIDENCE_SAMPLE events, its oldest leaves it (and the log, if in no other sample). */
  private dropBeyondSample(sample: Sample): void {
    const shift = countShift(sample);
    if (((this.counts >>> shift) & COUNT_MASK) <= EVIDENCE_SAMPLE) return;
    let oldest = 0;
    while (oldest < this.size && ((this.samples[oldest] ?? 0) & sample) === 0) oldest++;
    if (oldest === this.size) return;
    this.counts -= 1 << shift;
    const left = (this.samples[oldest] ?? 0) & ~sample;
    if (left !== 0) {
      this.samples[oldest] = left;
      return;
    }
    // A loop, not copyWithin(): that is a slow generic builtin on plain arrays.
    for (let i = oldest + 1; i < this.size; i++) {
      this.ids[i - 1] = this.ids[i] ?? '';
      this.times[i - 1] = this.times[i] ?? 0;
      this.samples[i - 1] = this.samples[i] ?? 0;
    }
    this.size--;
    this.ids[this.size] = '';
    this.times[this.size] = 0;
    this.samples[this.size] = 0;
  }
}
