import type { TumblingCounter } from '../../engine/tumbling-counter';
import { DEVICE_CALL_RULES, DEVICE_MESSAGE_RULES } from './device-rules';
import { FEW_NUMBERS_RULES } from './flood-rules';
import { RowTable, type RowLayout } from '../../engine/row-table';
import { joinNumbers, joinStrings, setTailNumbers, setTailStrings } from '../../engine/row-tails';
import { freshRows, intAt, isFreshCounter, ringsLength, setHead, setInt, writeCounter, type Packed, type RingLayout, type RingParts } from './packed';
import { CALL_RULES, MESSAGE_RULES } from './rules';
import { FINDING_EVIDENCE } from './volume-finding';

/**
 * Where things sit in a Packed state (packed.ts) of a detector whose rules are
 * grouped in kinds (calls, messages), one tumbling counter per rule and one
 * evidence ring per kind:
 *
 * - head:  [per rule, its counter's window start, rules in kind order]
 *          [`extras` numbers of the detector's own, zero when fresh]
 * - cells: [per rule, its counter's count and fired flag, in the same order]
 *          [one ring position per kind]
 * - n:    [ring 0's event times][ring 1's event times]… [detector's own tail]
 * - s:    [ring 0's event ids][ring 1's event ids]… [detector's own tail]
 */
export class KindsLayout {
  readonly ring: RingLayout;
  /** Rules over all kinds. */
  readonly ruleCount: number;
  /** Head number of the first extra number. */
  readonly extrasAt: number;
  /** The head's size and fresh values, for the engine's columns (RowTable). */
  readonly rows: RowLayout;
  private readonly firstRule: readonly number[];

  constructor(
    readonly kinds: readonly (readonly string[])[],
    capacity: number,
    extras = 0,
  ) {
    const first: number[] = [];
    let rules = 0;
    for (const k of kinds) {
      first.push(rules);
      rules += k.length;
    }
    this.firstRule = first;
    this.ruleCount = rules;
    this.extrasAt = rules;
    this.ring = { capacity, rings: kinds.length, posAt: rules };
    this.rows = freshRows(rules, kinds.length, extras);
  }

  /** Position of rule `r` of `kind` among all rules. */
  ruleIndex(kind: number, r: number): number {
    return (this.firstRule[kind] ?? 0) + r;
  }

  /** The counter of rule `r` of `kind` (packed.ts: its head number and cell). */
  counterAt(kind: number, r: number): number {
    return this.ruleIndex(kind, r);
  }

  /** A fresh state of this layout, of its own (createState): every counter fresh, rings empty, extras zero. */
  create(): RowTable {
    return RowTable.single(this.rows);
  }

  /** Whether `kind` has seen nothing: fresh counters and an empty ring. */
  isFreshKind(st: Packed, kind: number): boolean {
    if (intAt(st, this.ring.posAt + kind) !== 0) return false;
    const rules = this.kinds[kind]?.length ?? 0;
    for (let r = 0; r < rules; r++) if (!isFreshCounter(st, this.counterAt(kind, r))) return false;
    return true;
  }
}

/** One kind of a state, spelled out: what a codec decodes before it is laid out. */
export interface KindParts {
  counters: readonly TumblingCounter[];
  ring: RingParts;
}

/** A detector's own tails, after the rings'. */
export interface Tails {
  n: readonly number[];
  s: readonly string[];
}

/**
 * Lays decoded parts out as `layout` says, with the detector's extras and
 * tails: a state of its own (a table of one row), which the store copies into
 * its columns.
 */
export function layOut(layout: KindsLayout, kinds: readonly KindParts[], tail: Tails = { n: [], s: [] }, extras: readonly number[] = []): RowTable {
  const st = layout.create();
  kinds.forEach((k, kind) => {
    k.counters.forEach((c, r) => writeCounter(st, layout.counterAt(kind, r), c));
    setInt(st, layout.ring.posAt + kind, k.ring.pos);
  });
  extras.forEach((x, i) => setHead(st, layout.extrasAt + i, x));
  setTailNumbers(st, joinNumbers([...kinds.map((k) => k.ring.times), tail.n]));
  setTailStrings(st, joinStrings([...kinds.map((k) => k.ring.ids), tail.s]));
  return st;
}

/** Event ids an excessive_volume finding carries at most, per kind. */
export const EVIDENCE_SAMPLE = 10;

/**
 * excessive_volume, per account: the counters of CALL_RULES then
 * MESSAGE_RULES; a ring of the last EVIDENCE_SAMPLE dialled calls and one of
 * the last EVIDENCE_SAMPLE messages. No extras, no tail.
 */
export const VOLUME_LAYOUT = new KindsLayout([CALL_RULES, MESSAGE_RULES], EVIDENCE_SAMPLE);

/**
 * excessive_volume_device, per device: the counters of DEVICE_CALL_RULES
 * then DEVICE_MESSAGE_RULES; rings of the last FINDING_EVIDENCE calls and
 * messages. Each rule also has an account list: the accounts seen on the
 * device in the rule's current window, in order of arrival, at most
 * DEVICE_ACCOUNTS_CAP. One extra number describes the six lists and the tail
 * of s holds them (see device-lists.ts).
 */
export const DEVICE_LAYOUT = new KindsLayout([DEVICE_CALL_RULES, DEVICE_MESSAGE_RULES], FINDING_EVIDENCE, 1);

/**
 * excessive_volume_few_numbers, per account: one counter (every counted call
 * of the window) and a ring of FINDING_EVIDENCE calls. The tails hold the
 * window's heavy hitters (heavy-hitters.ts), at most FEW_NUMBERS_SLOTS: their
 * counts in n, their numbers in s, slot by slot.
 */
export const FEW_NUMBERS_LAYOUT = new KindsLayout([Object.keys(FEW_NUMBERS_RULES)], FINDING_EVIDENCE);

/** Where a few-numbers state's heavy hitters start, in both tails (their numbers in s, their counts in n): right after the ring's entries. */
export const fewNumbersTopAt = (st: Packed): number => ringsLength(st, FEW_NUMBERS_LAYOUT.ring);
