import { lengthen } from './columns';
import { NO_ID } from './key-index';

const INITIAL_ENTRIES = 2048;

/**
 * A store's recency order (slotted-state.ts): its slots from the least to the
 * most recently touched, exactly as a doubly linked list relinked on every
 * touch would keep them, for a fraction of the memory traffic.
 *
 * A touch appends the slot to a log and notes the position of that latest
 * entry by slot; an entry is the slot's place in the order only while it is
 * the slot's latest, and the older ones are skipped where they lie. Relinking
 * a list entry on every touch read and wrote both of its neighbours' links:
 * two more cache misses per store an event touches, on slots touched at
 * random, which made it one of the largest costs of replay at 100,000
 * accounts. An append writes where the last one did.
 *
 * The log is compacted, in place and in order, whenever it fills: each slot
 * in the order keeps its latest entry and nothing else. It doubles if that
 * leaves less than a quarter of it free, so a compaction moves at most three
 * entries per touch since the last one, and the log holds at most about 2.7
 * entries per slot in the order.
 */
export class RecencyLog {
  /** By slot: the position of its latest entry in `log`, NO_ID when it is not in the order. */
  private at: Int32Array;
  /** Slots in the order of their touches; an entry counts only as its slot's latest (`at[slot] === position`). */
  private log = new Int32Array(INITIAL_ENTRIES);
  /** Entries before it are spent: the oldest entry that may still count. */
  private head = 0;
  /** Where the next entry goes. */
  private tail = 0;

  constructor(slots: number) {
    this.at = new Int32Array(slots).fill(NO_ID);
  }

  /** Room for slots below `slots` (the store's columns grew). */
  growSlots(slots: number): void {
    this.at = lengthen(this.at, slots, NO_ID, (n) => new Int32Array(n));
  }

  /** Makes `slot` the most recently touched, whether or not it was in the order. */
  touch(slot: number): void {
    const position = this.at[slot] as number;
    // Already the newest: as the list did, nothing moves.
    if (position !== NO_ID && position === this.tail - 1) return;
    if (this.tail === this.log.length) this.compact();
    this.log[this.tail] = slot;
    this.at[slot] = this.tail;
    this.tail++;
  }

  /** Takes `slot` out of the order (its entries are skipped from now on). */
  remove(slot: number): void {
    this.at[slot] = NO_ID;
  }

  /** The least recently touched slot in the order, or NO_ID when it is empty. */
  oldest(): number {
    while (this.head < this.tail) {
      const slot = this.log[this.head] as number;
      if (this.at[slot] === this.head) return slot;
      this.head++;
    }
    return NO_ID;
  }

  /** The slots in the order, least recently touched first. Touching or removing meanwhile is not allowed. */
  *slots(): IterableIterator<number> {
    for (let i = this.head; i < this.tail; i++) {
      const slot = this.log[i] as number;
      if (this.at[slot] === i) yield slot;
    }
  }

  /** Entries the log has room for (the tests check its bound). */
  get capacity(): number {
    return this.log.length;
  }

  /** Keeps each slot's latest entry, in order, at the start of the log; doubles it if that leaves it over ¾ full. */
  private compact(): void {
    let kept = 0;
    for (let i = this.head; i < this.tail; i++) {
      const slot = this.log[i] as number;
      if (this.at[slot] !== i) continue;
      this.log[kept] = slot;
      this.at[slot] = kept;
      kept++;
    }
    this.head = 0;
    this.tail = kept;
    if (kept * 4 > this.log.length * 3) this.log = lengthen(this.log, this.log.length * 2, 0, (n) => new Int32Array(n));
  }
}
