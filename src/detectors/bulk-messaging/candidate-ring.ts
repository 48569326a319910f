import { fields, type StateWriter } from '../../engine/state-writer';
import { copyOf, withRoom, type U32Store } from './u32-store';

/** The field names writeData writes, each looked up once per writer (see Field). */
const F = fields('cap', 'contents', 'recipients', 'oldest');

/**
 * Contents sent to one recipient so far, with that recipient (both as 32-bit
 * hashes): a content becomes a template worth tracking only when a second
 * recipient gets it. Kept apart from the tracked templates so a stream of
 * one-off messages (a business's individual reminders, a person's chat)
 * churns through here and never pushes a campaign's templates out.
 * A FIFO ring: a content not sent again within `cap` new contents is
 * forgotten, so a template must recur within that many distinct messages.
 *
 * The pairs sit interleaved in one store (content, recipient, content, …),
 * grown with use (u32-store.ts): an account that sent two messages holds
 * four numbers, not two arrays sized for the ring.
 *
 * A TemplateTable is a CandidateRing (it extends it) rather than holding
 * one: nearly every account that messages has a table, and the ring as an
 * object of its own cost it 56 bytes more. So the ring's methods are named
 * for the candidates, not toData/fromData, which the table has for itself.
 */

/** A CandidateRing as plain data (a changelog record): the used slots, in slot order. */
export interface CandidateRingData {
  cap: number;
  contents: Uint32Array;
  recipients: Uint32Array;
  oldest: number;
}

export class CandidateRing {
  /** Slot i is values 2i (content) and 2i+1 (recipient), for i below count. */
  private pairs: U32Store = [];
  private count = 0;
  /** Once full: the slot of the oldest pair. */
  private oldest = 0;

  constructor(private readonly cap: number) {}

  /** Only the used slots are written: spare capacity holds nothing, and the changelog pays per byte. */
  candidatesToData(): CandidateRingData {
    const contents = new Uint32Array(this.count);
    const recipients = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) {
      contents[i] = this.pairs[2 * i] ?? 0;
      recipients[i] = this.pairs[2 * i + 1] ?? 0;
    }
    return { cap: this.cap, contents, recipients, oldest: this.oldest };
  }

  /** What value(candidatesToData()) writes, without the Uint32Arrays (StateWriter). */
  writeCandidates(out: StateWriter): void {
    out.object(4);
    out.field(F.cap);
    out.number(this.cap);
    out.field(F.contents);
    out.uint32s(this.pairs, 0, 2, this.count);
    out.field(F.recipients);
    out.uint32s(this.pairs, 1, 2, this.count);
    out.field(F.oldest);
    out.number(this.oldest);
  }

  /** Replaces the candidates with a record's, which must be of this ring's cap; returns this ring. */
  loadCandidates(data: CandidateRingData): this {
    if (data.cap !== this.cap) throw new RangeError(`bulk_messaging: a candidate ring of ${data.cap} where ${this.cap} is kept`);
    const count = Math.min(data.contents.length, data.recipients.length, data.cap);
    const pairs = Array.from({ length: 2 * count }, (_, i) => (i % 2 === 0 ? data.contents[i / 2] : data.recipients[(i - 1) / 2]) ?? 0);
    // Exactly the pairs held: the next add grows the store as a live ring's would (an empty one too).
    this.pairs = copyOf(pairs, pairs.length, pairs.length);
    this.count = count;
    this.oldest = data.oldest % Math.max(1, data.cap);
    return this;
  }

  /** Forgets every candidate (a new window). */
  protected clearCandidates(): void {
    this.pairs = [];
    this.count = 0;
    this.oldest = 0;
  }

  /** The recipient that `content` was first sent to, if it is still remembered. */
  firstRecipient(content: number): number | undefined {
    for (let i = 0; i < this.count; i++) if (this.pairs[2 * i] === content) return this.pairs[2 * i + 1];
    return undefined;
  }

  add(content: number, recipient: number): void {
    let at = this.count;
    if (this.count < this.cap) {
      this.pairs = withRoom(this.pairs, 2 * this.count, 2 * this.count + 2, 2 * this.cap);
      this.count += 1;
    } else {
      at = this.oldest;
      this.oldest = (this.oldest + 1) % this.cap;
    }
    this.pairs[2 * at] = content;
    this.pairs[2 * at + 1] = recipient;
  }
}
