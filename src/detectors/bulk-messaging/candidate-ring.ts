/**
 * Contents sent to one recipient so far, with that recipient (both as 32-bit
 * hashes, 8 bytes a pair): a content becomes a template worth tracking only
 * when a second recipient gets it. Kept apart from the tracked templates so a
 * stream of one-off messages (a business's individual reminders, a person's
 * chat) churns through here and never pushes a campaign's templates out.
 * A FIFO ring: a content not sent again within CANDIDATE_CAP new contents is
 * forgotten, so a template must recur within that many distinct messages.
 */
const INITIAL_CAPACITY = 4;

/** A CandidateRing as plain data (a changelog record): the used slots of both arrays, in slot order. */
export interface CandidateRingData {
  cap: number;
  contents: Uint32Array;
  recipients: Uint32Array;
  oldest: number;
}

export class CandidateRing {
  private contents: Uint32Array = new Uint32Array(INITIAL_CAPACITY);
  private recipients: Uint32Array = new Uint32Array(INITIAL_CAPACITY);
  private count = 0;
  private oldest = 0;

  constructor(private readonly cap: number) {}

  /** Only the used slots are written: spare capacity holds nothing, and the changelog pays per byte. */
  toData(): CandidateRingData {
    return { cap: this.cap, contents: this.contents.slice(0, this.count), recipients: this.recipients.slice(0, this.count), oldest: this.oldest };
  }

  static fromData(data: CandidateRingData): CandidateRing {
    const ring = new CandidateRing(data.cap);
    const count = Math.min(data.contents.length, data.recipients.length);
    // At least the constructor's capacity: an empty array would never grow (doubling 0 gives 0).
    const size = Math.max(count, INITIAL_CAPACITY);
    ring.contents = grow(data.contents.subarray(0, count), size);
    ring.recipients = grow(data.recipients.subarray(0, count), size);
    ring.count = count;
    ring.oldest = data.oldest % Math.max(1, data.cap);
    return ring;
  }

  /** The recipient that `content` was first sent to, if it is still remembered. */
  firstRecipient(content: number): number | undefined {
    for (let i = 0; i < this.count; i++) if (this.contents[i] === content) return this.recipients[i];
    return undefined;
  }

  add(content: number, recipient: number): void {
    if (this.count === this.contents.length && this.count < this.cap) {
      const size = Math.min(this.count * 2, this.cap);
      this.contents = grow(this.contents, size);
      this.recipients = grow(this.recipients, size);
    }
    let at = this.count;
    if (this.count < this.contents.length) this.count += 1;
    else {
      at = this.oldest;
      this.oldest = (this.oldest + 1) % this.cap;
    }
    this.contents[at] = content;
    this.recipients[at] = recipient;
  }
}

function grow(from: Uint32Array, size: number): Uint32Array {
  const to = new Uint32Array(size);
  to.set(from);
  return to;
}
