import { RowTable, type RowLayout } from '../../engine/row-table';
import { insertTailNumber, insertTailString, setTailNumber, setTailNumbers, setTailString, setTailStrings, spliceNumbers, spliceStrings, tailNumber, tailNumbers, tailString, tailStrings, writeTailNumbers, writeTailStrings } from '../../engine/row-tails';
import { headAt, setHead, type Packed } from './packed';
import { fields, type StateWriter } from '../../engine/state-writer';

/** The field names this file writes, each looked up once per writer (see Field). */
const F = fields('windowStart', 'numbers', 'counts', 'evidenceSlots', 'evidenceIds');

/**
 * The per-account state of excessive_volume_contact_flood: for each kind
 * (0 calls dialled, 1 messages) the current tumbling window's destinations
 * and their counts, in at most FLOOD_SLOTS slots (Misra–Gries, as
 * heavy-hitters.ts), plus the evidence of the destinations close to their
 * limit. Packed (packed.ts) as:
 *
 * - head: [window start of kind 0, window start of kind 1, shape]
 * - n:    [slot counts, kind 0][slot counts, kind 1][evidence slots, kind 0][evidence slots, kind 1]
 * - s:    [slot numbers, kind 0][slot numbers, kind 1][evidence ids, kind 0][evidence ids, kind 1]
 *
 * So n and s run in step: segment by segment, one number and one string per
 * entry. A slot's number is its count times two plus one once
 * it has fired (as a packed counter's); an evidence entry's number is the
 * slot its event went to. `shape` packs the four segment lengths in one
 * number (each below SHAPE_BASE): one head number instead of four, on a
 * state every active account holds.
 *
 * A window start of -Infinity is a kind that has counted nothing yet.
 */

/**
 * Destinations tracked per account, kind and window. Counts are exact while
 * the account contacts at most this many (non-allow-listed) numbers in a
 * window of a kind; past that they only under-estimate (docs/rules.md gives
 * the bound against the default hourly limits).
 */
export const FLOOD_SLOTS = 32;

const SHAPE_AT = 2;
/** The head's size and fresh values: no window for either kind, every segment empty. */
export const FLOOD_ROWS: RowLayout = { width: 3, fresh: [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, 0] };
/** Segments are at most FLOOD_SLOTS slots and FLOOD_SLOTS × FINDING_EVIDENCE evidence entries: well below this. */
const SHAPE_BASE = 1024;
const KINDS = 2;
const SHAPE_UNIT = [1, SHAPE_BASE, SHAPE_BASE ** 2, SHAPE_BASE ** 3];

const slotsSeg = (kind: number): number => kind;
const evidenceSeg = (kind: number): number => KINDS + kind;

function segLength(st: Packed, seg: number): number {
  return Math.floor(headAt(st, SHAPE_AT) / (SHAPE_UNIT[seg] ?? 1)) % SHAPE_BASE;
}

function addSegLength(st: Packed, seg: number, delta: number): void {
  setHead(st, SHAPE_AT, headAt(st, SHAPE_AT) + delta * (SHAPE_UNIT[seg] ?? 1));
}

/** Where segment `seg` starts in n and in s. */
function segStart(st: Packed, seg: number): number {
  let at = 0;
  for (let i = 0; i < seg; i++) at += segLength(st, i);
  return at;
}

export const floodWindowStart = (st: Packed, kind: number): number => headAt(st, kind);

/** Replaces segment `seg` with `values` in n and `texts` in s (as long as each other). */
function replaceSegment(st: Packed, seg: number, values: readonly number[], texts: readonly string[]): void {
  const at = segStart(st, seg);
  const length = segLength(st, seg);
  if (length === 0 && values.length === 0) return;
  spliceNumbers(st, at, length, values);
  spliceStrings(st, at, length, texts);
  addSegLength(st, seg, values.length - length);
}

/** Appends one entry to segment `seg`. */
function appendEntry(st: Packed, seg: number, value: number, text: string): void {
  const at = segStart(st, seg) + segLength(st, seg);
  insertTailNumber(st, at, value);
  insertTailString(st, at, text);
  addSegLength(st, seg, 1);
}

/** A new window for `kind`: last window's destinations and evidence go. */
export function startFloodWindow(st: Packed, kind: number, windowStart: number): void {
  replaceSegment(st, evidenceSeg(kind), [], []);
  replaceSegment(st, slotsSeg(kind), [], []);
  setHead(st, kind, windowStart);
}

// ---- slots ----

export const slotCount = (st: Packed, kind: number): number => segLength(st, slotsSeg(kind));

const slotIndex = (st: Packed, kind: number, slot: number): number => segStart(st, slotsSeg(kind)) + slot;

export const slotTally = (st: Packed, kind: number, slot: number): number => Math.floor(tailNumber(st, slotIndex(st, kind, slot), 0) / 2);
export const slotFired = (st: Packed, kind: number, slot: number): boolean => tailNumber(st, slotIndex(st, kind, slot), 0) % 2 === 1;
export const slotNumber = (st: Packed, kind: number, slot: number): string => tailString(st, segStart(st, slotsSeg(kind)) + slot, '');

export function markSlotFired(st: Packed, kind: number, slot: number): void {
  if (!slotFired(st, kind, slot)) setTailNumber(st, slotIndex(st, kind, slot), tailNumber(st, slotIndex(st, kind, slot), 0) + 1);
}

/**
 * Counts one contact of `to` in `kind`'s window; returns its slot, or -1 when
 * the contact was not kept. Misra–Gries, as offerPacked (heavy-hitters.ts):
 * a new number takes a free slot; with none free, it and one contact of every
 * tracked number cancel out, and numbers left at zero free their slots. Counts
 * therefore never exceed the true ones. Fired slots sit out the cancelling:
 * their number has had its finding this window, and forgetting it would let
 * it fire twice.
 */
export function countContact(st: Packed, kind: number, to: string): number {
  const start = segStart(st, slotsSeg(kind));
  const length = segLength(st, slotsSeg(kind));
  for (let i = 0; i < length; i++) {
    if (tailString(st, start + i, '') === to) {
      setTailNumber(st, start + i, tailNumber(st, start + i, 0) + 2);
      return i;
    }
  }
  if (length < FLOOD_SLOTS) {
    appendEntry(st, slotsSeg(kind), 2, to);
    return length;
  }
  cancelOne(st, kind);
  return -1;
}

/**
 * One contact off every unfired slot. Slots left at zero are freed, with their
 * evidence, in one copy of each segment: a spammer writing to a new number
 * every time frees every slot each FLOOD_SLOTS + 1 contacts.
 */
function cancelOne(st: Packed, kind: number): void {
  const start = segStart(st, slotsSeg(kind));
  const length = segLength(st, slotsSeg(kind));
  let kept = 0;
  for (let i = 0; i < length; i++) {
    const v = tailNumber(st, start + i, 0);
    if (v % 2 === 1 || v > 2) kept++;
    if (v % 2 === 0) setTailNumber(st, start + i, v - 2);
  }
  if (kept === length) return;
  // Where each slot moves to, -1 when freed; the evidence follows its slot.
  const moved: number[] = [];
  const counts: number[] = [];
  const numbers: string[] = [];
  for (let i = 0; i < length; i++) {
    const v = tailNumber(st, start + i, 0);
    if (v === 0) {
      moved.push(-1);
      continue;
    }
    moved.push(counts.length);
    counts.push(v);
    numbers.push(slotNumber(st, kind, i));
  }
  const evidence = floodKindParts(st, kind);
  const tags: number[] = [];
  const ids: string[] = [];
  evidence.evidenceSlots.forEach((tag, i) => {
    const to = moved[tag] ?? -1;
    if (to < 0) return;
    tags.push(to);
    ids.push(evidence.evidenceIds[i] ?? '');
  });
  replaceSegment(st, slotsSeg(kind), counts, numbers);
  replaceSegment(st, evidenceSeg(kind), tags, ids);
}

// ---- evidence: event ids, each with the slot its event went to ----

/**
 * Keeps `eventId` as evidence for `slot`: at most `capacity` per slot, the
 * oldest going first. When a slot already holds `capacity`, its entries after
 * the oldest move up one in place and the new one goes last, so the arrays
 * keep their size and the segment its arrival order.
 */
export function keepEvidence(st: Packed, kind: number, slot: number, eventId: string, capacity: number): void {
  const start = segStart(st, evidenceSeg(kind));
  const length = segLength(st, evidenceSeg(kind));
  let held = 0;
  let oldest = -1;
  for (let i = 0; i < length; i++) {
    if (tailNumber(st, start + i, -1) !== slot) continue;
    if (held === 0) oldest = i;
    held++;
  }
  if (held < capacity) {
    appendEntry(st, evidenceSeg(kind), slot, eventId);
    return;
  }
  for (let i = oldest; i < length - 1; i++) {
    setTailNumber(st, start + i, tailNumber(st, start + i + 1, 0));
    setTailString(st, start + i, tailString(st, start + i + 1, ''));
  }
  setTailNumber(st, start + length - 1, slot);
  setTailString(st, start + length - 1, eventId);
}

/** Slot `slot`'s evidence ids, oldest first, removed from the state (a fired slot needs none again this window). */
export function takeEvidence(st: Packed, kind: number, slot: number): string[] {
  const start = segStart(st, evidenceSeg(kind));
  const length = segLength(st, evidenceSeg(kind));
  const ids: string[] = [];
  const keptTags: number[] = [];
  const keptIds: string[] = [];
  for (let i = 0; i < length; i++) {
    const tag = tailNumber(st, start + i, -1);
    const id = tailString(st, start + i, '');
    if (tag === slot) ids.push(id);
    else {
      keptTags.push(tag);
      keptIds.push(id);
    }
  }
  if (ids.length > 0) replaceSegment(st, evidenceSeg(kind), keptTags, keptIds);
  return ids;
}

// ---- the plain parts, for the codec ----

/** One kind of a flood state spelled out: its window, slots and evidence. */
export interface FloodKindParts {
  windowStart: number;
  numbers: string[];
  /** Count times two plus one when fired, per slot. */
  counts: number[];
  evidenceSlots: number[];
  evidenceIds: string[];
}

export function floodKindParts(st: Packed, kind: number): FloodKindParts {
  const slots = segStart(st, slotsSeg(kind));
  const slotLength = segLength(st, slotsSeg(kind));
  const evidence = segStart(st, evidenceSeg(kind));
  const evidenceLength = segLength(st, evidenceSeg(kind));
  return {
    windowStart: floodWindowStart(st, kind),
    numbers: tailStrings(st, slots, slots + slotLength),
    counts: tailNumbers(st, slots, slots + slotLength),
    evidenceSlots: tailNumbers(st, evidence, evidence + evidenceLength),
    evidenceIds: tailStrings(st, evidence, evidence + evidenceLength),
  };
}

/** What value(floodKindParts(st, kind)) writes, without the copies (StateWriter). */
export function writeFloodKindParts(out: StateWriter, st: Packed, kind: number): void {
  const slots = segStart(st, slotsSeg(kind));
  const slotLength = segLength(st, slotsSeg(kind));
  const evidence = segStart(st, evidenceSeg(kind));
  const evidenceLength = segLength(st, evidenceSeg(kind));
  out.object(5);
  out.field(F.windowStart);
  out.number(floodWindowStart(st, kind));
  out.field(F.numbers);
  writeTailStrings(out, st, slots, slots + slotLength);
  out.field(F.counts);
  writeTailNumbers(out, st, slots, slots + slotLength);
  out.field(F.evidenceSlots);
  writeTailNumbers(out, st, evidence, evidence + evidenceLength);
  out.field(F.evidenceIds);
  writeTailStrings(out, st, evidence, evidence + evidenceLength);
}

/** The state made of both kinds' parts: a state of its own (a table of one row), which the store copies into its columns. */
export function floodFromParts(kinds: readonly [FloodKindParts, FloodKindParts]): RowTable {
  const [a, b] = kinds;
  const st = RowTable.single(FLOOD_ROWS);
  const lengths = [a.numbers.length, b.numbers.length, a.evidenceIds.length, b.evidenceIds.length];
  setHead(st, 0, a.windowStart);
  setHead(st, 1, b.windowStart);
  setHead(st, SHAPE_AT, lengths.reduce((sum, length, seg) => sum + length * (SHAPE_UNIT[seg] ?? 1), 0));
  setTailNumbers(st, [...a.counts, ...b.counts, ...a.evidenceSlots, ...b.evidenceSlots]);
  setTailStrings(st, [...a.numbers, ...b.numbers, ...a.evidenceIds, ...b.evidenceIds]);
  return st;
}
