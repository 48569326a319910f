import { windowStart } from '../../engine/window';
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
 */
export interface RecipientSketch {
  windowStart: number;
  bits: Uint32Array;
  previousStart: number;
  previousEstimate: number;
}

const WORDS = RECIPIENT_SKETCH_BITS / 32;

export function newRecipientSketch(): RecipientSketch {
  return { windowStart: Number.NEGATIVE_INFINITY, bits: new Uint32Array(WORDS), previousStart: Number.NEGATIVE_INFINITY, previousEstimate: 0 };
}

/** Adds a recipient hash; `late` when its window was already replaced. */
export function addRecipient(sketch: RecipientSketch, recipient: number, eventTime: number, sizeMs: number): 'counted' | 'late' {
  const start = windowStart(eventTime, sizeMs);
  if (start > sketch.windowStart) {
    sketch.previousStart = sketch.windowStart;
    sketch.previousEstimate = estimate(sketch.bits);
    sketch.windowStart = start;
    sketch.bits.fill(0);
  } else if (start < sketch.windowStart) {
    return 'late';
  }
  const bit = recipient & (RECIPIENT_SKETCH_BITS - 1);
  sketch.bits[bit >>> 5] = (sketch.bits[bit >>> 5] ?? 0) | (1 << (bit & 31));
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

function estimate(bits: Uint32Array): number {
  let set = 0;
  for (const word of bits) set += popcount(word);
  const zeros = RECIPIENT_SKETCH_BITS - set;
  const m = RECIPIENT_SKETCH_BITS;
  return Math.round(zeros === 0 ? m * Math.log(m) : -m * Math.log(zeros / m));
}

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
