import { setTailNumber, spliceNumbers, tailNumber } from '../../engine/row-tails';
import { fields, type StateWriter } from '../../engine/state-writer';
import { CANDIDATE_CAP } from './rules';
import { candidatesAt, intAt, setInt, type BulkMessagingState, type TablePart } from './state';

/** The field names writeCandidates writes, each looked up once per writer (see Field). */
const F = fields('cap', 'contents', 'recipients', 'oldest');

/**
 * Contents sent to one recipient so far, with that recipient (both as 32-bit
 * hashes), per template table: a content becomes a template worth tracking
 * only when a second recipient gets it. Kept apart from the tracked templates
 * so a stream of one-off messages (a business's individual reminders, a
 * person's chat) churns through here and never pushes a campaign's templates
 * out. A FIFO ring of CANDIDATE_CAP pairs: a content not sent again within
 * that many new contents is forgotten, so a template must recur within that
 * many distinct messages.
 *
 * The pairs sit in the row's `n` (state.ts), interleaved (content,
 * recipient, content, …), exactly as many as held: an account that sent two
 * messages holds four numbers.
 */

/** A table's candidates as plain data (a changelog record): the used slots, in slot order. */
export interface CandidateRingData {
  cap: number;
  contents: Uint32Array;
  recipients: Uint32Array;
  oldest: number;
}

/** The recipient that `content` was first sent to, if it is still remembered. */
export function firstRecipient(st: BulkMessagingState, part: TablePart, content: number): number | undefined {
  const t = st.t;
  const at = st.ti + candidatesAt(st, part);
  const count = intAt(st, part.candidates);
  for (let i = 0; i < count; i++) if (t[at + 2 * i] === content) return t[at + 2 * i + 1];
  return undefined;
}

export function addCandidate(st: BulkMessagingState, part: TablePart, content: number, recipient: number): void {
  const at = candidatesAt(st, part);
  const count = intAt(st, part.candidates);
  if (count < CANDIDATE_CAP) {
    spliceNumbers(st, at + 2 * count, 0, [content, recipient]);
    setInt(st, part.candidates, count + 1);
    return;
  }
  const oldest = intAt(st, part.oldest);
  setTailNumber(st, at + 2 * oldest, content);
  setTailNumber(st, at + 2 * oldest + 1, recipient);
  setInt(st, part.oldest, (oldest + 1) % CANDIDATE_CAP);
}

/** Forgets every candidate (a new window, or the table dropped). */
export function clearCandidates(st: BulkMessagingState, part: TablePart): void {
  const count = intAt(st, part.candidates);
  if (count > 0) spliceNumbers(st, candidatesAt(st, part), 2 * count, []);
  setInt(st, part.candidates, 0);
  setInt(st, part.oldest, 0);
}

/** Only the used slots are written: the changelog pays per byte. */
export function candidatesData(st: BulkMessagingState, part: TablePart): CandidateRingData {
  const at = candidatesAt(st, part);
  const count = intAt(st, part.candidates);
  const contents = new Uint32Array(count);
  const recipients = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    contents[i] = tailNumber(st, at + 2 * i, 0);
    recipients[i] = tailNumber(st, at + 2 * i + 1, 0);
  }
  return { cap: CANDIDATE_CAP, contents, recipients, oldest: intAt(st, part.oldest) };
}

/** What value(candidatesData(st, part)) writes, without the Uint32Arrays (StateWriter). */
export function writeCandidates(out: StateWriter, st: BulkMessagingState, part: TablePart): void {
  const at = candidatesAt(st, part);
  const count = intAt(st, part.candidates);
  out.object(4);
  out.field(F.cap);
  out.number(CANDIDATE_CAP);
  out.field(F.contents);
  out.uint32s(st.t, st.ti + at, 2, count);
  out.field(F.recipients);
  out.uint32s(st.t, st.ti + at + 1, 2, count);
  out.field(F.oldest);
  out.number(intAt(st, part.oldest));
}

/**
 * A record's candidates as interleaved pairs, for the table's segment; its
 * count and oldest slot go to the head. Refused when the record's ring is not
 * of the cap kept here.
 */
export function candidatesFromData(st: BulkMessagingState, part: TablePart, data: CandidateRingData): number[] {
  if (data.cap !== CANDIDATE_CAP) throw new RangeError(`bulk_messaging: a candidate ring of ${data.cap} where ${CANDIDATE_CAP} is kept`);
  const count = Math.min(data.contents.length, data.recipients.length, CANDIDATE_CAP);
  const pairs = new Array<number>(2 * count);
  for (let i = 0; i < count; i++) {
    pairs[2 * i] = data.contents[i] ?? 0;
    pairs[2 * i + 1] = data.recipients[i] ?? 0;
  }
  setInt(st, part.candidates, count);
  setInt(st, part.oldest, data.oldest % CANDIDATE_CAP);
  return pairs;
}
