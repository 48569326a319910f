import { insertTailNumber, spliceNumbers, tailNumber, tailNumbers, writeTailNumbers } from '../../engine/row-tails';
import { fields, type StateWriter } from '../../engine/state-writer';
import { windowStart } from '../../engine/window';
import { RECIPIENT_SKETCH_BITS } from './rules';
import { BITMAP, headAt, intAt, setHead, setInt, SKETCH, SKETCH_PREVIOUS_ESTIMATE, SKETCH_PREVIOUS_START, SKETCH_START, SKETCH_WORDS, sketchAt, sketchLength, type BulkMessagingState } from './state';

/** The field names writeSketch writes, each looked up once per writer (see Field). */
const F = fields('windowStart', 'bits', 'previousStart', 'previousEstimate');

/**
 * Distinct recipients of one tumbling window, estimated by linear counting
 * (Whang, Vander-Zanden and Taylor, 1990): each recipient's hash sets one bit
 * of a fixed bitmap, and the share of bits still zero gives the count,
 * n ≈ −m·ln(zeros / m). With 1,024 bits the estimate is within a few percent
 * up to a couple of thousand recipients and saturates near m·ln m ≈ 7,100.
 * It only feeds the report rate, where a few percent do not matter; an exact
 * set of every recipient would cost kilobytes per account.
 *
 * The previous window's estimate is kept too: reports lag the messages they
 * are about, so a report just after a window boundary concerns messages of
 * the window before.
 *
 * The sketch is a segment of the row's `n` (state.ts) with four head numbers.
 * While at most SPARSE_MAX bits are set it lists their indices, which for the
 * usual account of a few recipients a day is a few numbers; past that it is
 * the bitmap's 32-bit words. The estimate only depends on how many bits are
 * set, so both forms give the same numbers.
 */

/** Set bits listed by index at most: as many numbers as the bitmap's words. */
export const SPARSE_MAX = SKETCH_WORDS;

/** A sketch as plain data (a changelog record): the listed bits as a plain array, the bitmap as a Uint32Array. */
export interface RecipientSketchData {
  windowStart: number;
  bits: number[] | Uint32Array;
  previousStart: number;
  previousEstimate: number;
}

/** Adds a recipient hash, starting the sketch if the account has none; `late` when its window was already replaced. */
export function addRecipient(st: BulkMessagingState, recipient: number, eventTime: number, sizeMs: number): 'counted' | 'late' {
  if (intAt(st, SKETCH) === -1) setInt(st, SKETCH, 0);
  const start = windowStart(eventTime, sizeMs);
  const current = headAt(st, SKETCH_START);
  if (start > current) {
    setHead(st, SKETCH_PREVIOUS_START, current);
    setInt(st, SKETCH_PREVIOUS_ESTIMATE, estimate(st));
    setHead(st, SKETCH_START, start);
    const length = sketchLength(st);
    if (length > 0) spliceNumbers(st, sketchAt(st), length, []);
    setInt(st, SKETCH, 0);
  } else if (start < current) {
    return 'late';
  }
  const bit = recipient & (RECIPIENT_SKETCH_BITS - 1);
  const at = sketchAt(st);
  const form = intAt(st, SKETCH);
  if (form !== BITMAP) {
    for (let i = 0; i < form; i++) if (tailNumber(st, at + i, -1) === bit) return 'counted';
    if (form < SPARSE_MAX) {
      insertTailNumber(st, at + form, bit);
      setInt(st, SKETCH, form + 1);
      return 'counted';
    }
    toBitmap(st, at, form);
  }
  setBit(st.t, st.ti + at, bit);
  return 'counted';
}

/** Sets `bit` of the bitmap whose words start at `words[at]`; a word as a Uint32Array would hold it (>>> 0: bit 31 set is no negative number). */
function setBit(words: Float64Array, at: number, bit: number): void {
  const word = at + (bit >>> 5);
  words[word] = ((words[word] as number) | (1 << (bit & 31))) >>> 0;
}

/** The listed bits replaced by the bitmap (the same length: SPARSE_MAX numbers either way). */
function toBitmap(st: BulkMessagingState, at: number, listed: number): void {
  const words = new Float64Array(SKETCH_WORDS);
  for (let i = 0; i < listed; i++) setBit(words, 0, tailNumber(st, at + i, 0));
  spliceNumbers(st, at, listed, words);
  setInt(st, SKETCH, BITMAP);
}

/**
 * Recipients a report in the window starting at `start` may be about: the
 * larger of that window's and the one before's estimates (0 when the account
 * sent nothing in either, or never).
 */
export function recipientsAround(st: BulkMessagingState, start: number, sizeMs: number): number {
  if (intAt(st, SKETCH) === -1) return 0;
  const relevant = (at: number): boolean => at === start || at === start - sizeMs;
  return Math.max(relevant(headAt(st, SKETCH_START)) ? estimate(st) : 0, relevant(headAt(st, SKETCH_PREVIOUS_START)) ? intAt(st, SKETCH_PREVIOUS_ESTIMATE) : 0);
}

/** The current window's estimate. */
function estimate(st: BulkMessagingState): number {
  const form = intAt(st, SKETCH);
  let set = Math.max(0, form);
  if (form === BITMAP) {
    set = 0;
    const at = sketchAt(st);
    for (let i = 0; i < SKETCH_WORDS; i++) set += popcount(tailNumber(st, at + i, 0));
  }
  // An empty window is 0 recipients, not −m·ln 1 = −0 (which the record would write as a double).
  if (set === 0) return 0;
  const zeros = RECIPIENT_SKETCH_BITS - set;
  const m = RECIPIENT_SKETCH_BITS;
  return Math.round(zeros === 0 ? m * Math.log(m) : -m * Math.log(zeros / m));
}

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** The sketch as plain data, or null before the first message. */
export function sketchData(st: BulkMessagingState): RecipientSketchData | null {
  const form = intAt(st, SKETCH);
  if (form === -1) return null;
  const at = sketchAt(st);
  const bits = form === BITMAP ? Uint32Array.from(tailNumbers(st, at, at + SKETCH_WORDS)) : tailNumbers(st, at, at + form);
  return { windowStart: headAt(st, SKETCH_START), bits, previousStart: headAt(st, SKETCH_PREVIOUS_START), previousEstimate: intAt(st, SKETCH_PREVIOUS_ESTIMATE) };
}

/** What value(sketchData(st)) writes, without the copies. */
export function writeSketch(out: StateWriter, st: BulkMessagingState): void {
  const form = intAt(st, SKETCH);
  if (form === -1) return out.null();
  const at = sketchAt(st);
  out.object(4);
  out.field(F.windowStart);
  out.value(headAt(st, SKETCH_START));
  out.field(F.bits);
  if (form === BITMAP) out.uint32s(st.t, st.ti + at, 1, SKETCH_WORDS);
  else writeTailNumbers(out, st, at, at + form);
  out.field(F.previousStart);
  out.value(headAt(st, SKETCH_PREVIOUS_START));
  out.field(F.previousEstimate);
  out.value(intAt(st, SKETCH_PREVIOUS_ESTIMATE));
}

/** A record's sketch for the row's segment (its form and windows go to the head); refused when its bits are neither form. */
export function sketchFromData(st: BulkMessagingState, data: RecipientSketchData | null): number[] {
  if (data === null) return [];
  const bits = data.bits;
  const listed = Array.isArray(bits);
  if (listed ? bits.length > SPARSE_MAX : bits.length !== SKETCH_WORDS) throw new RangeError('bulk_messaging: a recipient sketch of neither form');
  setInt(st, SKETCH, listed ? bits.length : BITMAP);
  setHead(st, SKETCH_START, data.windowStart);
  setHead(st, SKETCH_PREVIOUS_START, data.previousStart);
  setInt(st, SKETCH_PREVIOUS_ESTIMATE, data.previousEstimate);
  return Array.from(bits);
}
