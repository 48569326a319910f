import { windowStart } from '../../engine/window';
import { exactCopy } from '../../engine/exact-copy';
import { RECIPIENT_SKETCH_BITS } from './rules';

/**
 * Distinct recipients of one tumbling window, estimated by linear counting
 * (Whang, Vander-Zanden and Taylor, 1990): each recipient's hash sets one bit
 * of a fixed bitmap, and the share of bits still zero gives the count,
 * n ≈ −m·ln(zeros / m). With 1,024 bits (128 bytes) the estimate is within a
 * few percent up to a couple of thousand recipients and saturates near
 * m·ln m ≈ 7,100. It only feeds the report rate, where a few percent do not
 * matter; an exact set of every recipient would cost kilobytes per account.
 *
 * The previous window's estimate is kept too: reports lag the messages they
 * are about, so a report just after a window boundary concerns messages of
 * the window before.
 *
 * The bitmap is only built when needed: while at most SPARSE_MAX bits are
 * set, `bits` lists their indices (a plain array of exactly that many), which
 * for the usual account of a few recipients a day costs a few dozen bytes
 * instead of the bitmap's 128 plus a typed array's ~180 of bookkeeping. The
 * estimate only depends on how many bits are set, so both forms give the
 * same numbers.
 */
export interface RecipientSketch {
  windowStart: number;
  /** Indices of the set bits (a plain array) while few, else the whole bitmap. */
  bits: number[] | Uint32Array;
  previousStart: number;
  previousEstimate: number;
}

const WORDS = RECIPIENT_SKETCH_BITS / 32;

/** Set bits listed by index at most: 48 + 8·32 bytes, about what the bitmap costs as a Uint32Array. */
const SPARSE_MAX = 32;

export function newRecipientSketch(): RecipientSketch {
  return { windowStart: Number.NEGATIVE_INFINITY, bits: [], previousStart: Number.NEGATIVE_INFINITY, previousEstimate: 0 };
}

/** Adds a recipient hash; `late` when its window was already replaced. */
export function addRecipient(sketch: RecipientSketch, recipient: number, eventTime: number, sizeMs: number): 'counted' | 'late' {
  const start = windowStart(eventTime, sizeMs);
  if (start > sketch.windowStart) {
    sketch.previousStart = sketch.windowStart;
    sketch.previousEstimate = estimate(sketch.bits);
    sketch.windowStart = start;
    sketch.bits = [];
  } else if (start < sketch.windowStart) {
    return 'late';
  }
  const bit = recipient & (RECIPIENT_SKETCH_BITS - 1);
  let bits = sketch.bits;
  if (Array.isArray(bits)) {
    if (bits.includes(bit)) return 'counted';
    if (bits.length < SPARSE_MAX) {
      sketch.bits = bits.concat(bit);
      return 'counted';
    }
    bits = sketch.bits = bitmapOf(bits);
  }
  setBit(bits, bit);
  return 'counted';
}

/**
 * Recipients a report in the window starting at `start` may be about: the
 * larger of that window's and the one before's estimates (0 when the account
 * sent nothing in either).
 */
export function recipientsAround(sketch: RecipientSketch, start: number, sizeMs: number): number {
  const relevant = (at: number): boolean => at === start || at === start - sizeMs;
  return Math.max(relevant(sketch.windowStart) ? estimate(sketch.bits) : 0, relevant(sketch.previousStart) ? sketch.previousEstimate : 0);
}

/** The sketch as plain data for a changelog record (a copy: the live sketch keeps changing), and back. */
export function copySketch(s: RecipientSketch): RecipientSketch {
  return { windowStart: s.windowStart, bits: Array.isArray(s.bits) ? exactCopy(s.bits) : new Uint32Array(s.bits), previousStart: s.previousStart, previousEstimate: s.previousEstimate };
}

function bitmapOf(indices: readonly number[]): Uint32Array {
  const map = new Uint32Array(WORDS);
  for (const bit of indices) setBit(map, bit);
  return map;
}

function setBit(bits: Uint32Array, bit: number): void {
  bits[bit >>> 5] = (bits[bit >>> 5] ?? 0) | (1 << (bit & 31));
}

function estimate(bits: number[] | Uint32Array): number {
  let set = 0;
  if (Array.isArray(bits)) set = bits.length;
  else for (const word of bits) set += popcount(word);
  // An empty window is 0 recipients, not −m·ln 1 = −0: −0 is no small integer and would cost every account a boxed number.
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
