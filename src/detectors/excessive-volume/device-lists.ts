import { DEVICE_ACCOUNTS_CAP } from './device-rules';
import { DEVICE_LAYOUT } from './layout';
import { joinStrings, setTailStrings, tailString, tailStrings, writeTailStrings } from '../../engine/row-tails';
import type { StateWriter } from '../../engine/state-writer';
import { headAt, ringsLength, setHead, type Packed } from './packed';

/**
 * The account lists of excessive_volume_device inside a device's Packed
 * state: one list per rule, rules numbered over both kinds as in
 * DEVICE_LAYOUT (the call rules, then the message rules).
 *
 * Nearly every device is used by one account, and then all six lists hold
 * that one account. So a list equal to the previous rule's is not stored
 * again, and one head number, DEVICE_LAYOUT.extrasAt, describes all six: six
 * bits per rule, rule w in bits 6w to 6w+5 (36 bits, exact in a double).
 * A code from 0 to DEVICE_ACCOUNTS_CAP is the length of the rule's own list,
 * stored in the tail of s after the own lists of the rules before it; SAME
 * means "the previous rule's list". A fresh state's description is 0.
 *
 * Lists change only when an account joins a window or a window starts over
 * (at most DEVICE_ACCOUNTS_CAP + 1 times per rule and window); every change
 * rewrites all six in the one canonical
 * form (SAME exactly where a non-empty list equals the previous rule's), so
 * equal lists always give an equal state.
 */
const CODES = 64;
const SAME = CODES - 1;
const RULES = DEVICE_LAYOUT.ruleCount;
// Guards the constants: a cap of SAME or more, or more rules, would need a wider description.
if (DEVICE_ACCOUNTS_CAP >= SAME || CODES ** RULES > Number.MAX_SAFE_INTEGER) throw new Error('device account lists do not fit their description');

const PLACE = Array.from({ length: RULES }, (_, w) => CODES ** w);
const codeOf = (description: number, w: number): number => Math.floor(description / (PLACE[w] ?? 1)) % CODES;
const descriptionOf = (st: Packed): number => headAt(st, DEVICE_LAYOUT.extrasAt);

/** The rule whose own list rule `w`'s is (itself, or an earlier rule with the same list). */
function ownerOf(description: number, w: number): number {
  let owner = w;
  while (owner > 0 && codeOf(description, owner) === SAME) owner--;
  return owner;
}

/** How long rule `w`'s list is. A number, not an object with its start: the device detector asks on every event. */
export const listLength = (st: Packed, w: number): number => {
  const description = descriptionOf(st);
  return codeOf(description, ownerOf(description, w));
};

/** Where rule `w`'s list starts in s. */
export function listStart(st: Packed, w: number): number {
  const description = descriptionOf(st);
  const owner = ownerOf(description, w);
  let start = ringsLength(st, DEVICE_LAYOUT.ring);
  for (let v = 0; v < owner; v++) {
    const code = codeOf(description, v);
    if (code !== SAME) start += code;
  }
  return start;
}

export function listIncludes(st: Packed, start: number, length: number, accountId: string): boolean {
  for (let i = start; i < start + length; i++) if (tailString(st, i, '') === accountId) return true;
  return false;
}

/**
 * All six lists, spelled out (a list equal to the previous one is the same array: replace, never mutate). One pass
 * over the description: asking listStart and listLength rule by rule walked it again for every rule, and the
 * device codec's encode, which reads the lists on every commit of a device, spent most of its time there.
 */
export function readLists(st: Packed): string[][] {
  const lists: string[][] = [];
  let rest = descriptionOf(st);
  let start = ringsLength(st, DEVICE_LAYOUT.ring);
  for (let w = 0; w < RULES; w++) {
    const code = rest % CODES;
    rest = Math.floor(rest / CODES);
    const previous = lists[w - 1];
    if (code === SAME && previous !== undefined) {
      lists.push(previous);
      continue;
    }
    // (SAME for rule 0 never occurs in a canonical description; read as listLength does, a list of SAME accounts.)
    lists.push(tailStrings(st, start, start + code));
    if (code !== SAME) start += code;
  }
  return lists;
}

/**
 * Whether rule `w`'s list is its own, not the previous rule's: what readLists says by handing out a new array. The
 * device codec asks it rule by rule; its write then writes the own lists from the tail (writeList), with no arrays.
 */
export const ownsList = (st: Packed, w: number): boolean => w === 0 || codeOf(descriptionOf(st), w) !== SAME;

/** Writes rule `w`'s list as readLists spells it out (an array of its accounts), from the state's tail. */
export function writeList(out: StateWriter, st: Packed, w: number): void {
  const start = listStart(st, w);
  writeTailStrings(out, st, start, start + listLength(st, w));
}

const sameList = (a: readonly string[], b: readonly string[] | undefined): boolean => b !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);

/** The canonical description of six lists, and the lists it stores. */
export function describeLists(lists: readonly (readonly string[])[]): { description: number; own: readonly (readonly string[])[] } {
  let description = 0;
  const own: (readonly string[])[] = [];
  lists.forEach((list, w) => {
    if (w > 0 && list.length > 0 && sameList(list, lists[w - 1])) {
      description += SAME * (PLACE[w] ?? 1);
    } else {
      description += list.length * (PLACE[w] ?? 1);
      own.push(list);
    }
  });
  return { description, own };
}

/** Replaces all six lists (the state's head exists: lists change only after a count). */
export function writeLists(st: Packed, lists: readonly (readonly string[])[]): void {
  const { description, own } = describeLists(lists);
  setTailStrings(st, joinStrings([tailStrings(st, 0, ringsLength(st, DEVICE_LAYOUT.ring)), ...own]));
  setHead(st, DEVICE_LAYOUT.extrasAt, description);
}
