import { insertTailNumber, setTailNumber } from '../../engine/row-tails';
import type { StateWriter } from '../../engine/state-writer';
import { hashSetData, writeHashSetData, type HashSet32Data } from './hash-set32';
import { CONTACT_HISTORY_CAP } from './rules';
import { CONTACTED, CONTACTED_OLDEST, contactedAt, intAt, setInt, type BulkMessagingState } from './state';

/**
 * The numbers an account has messaged (32-bit hashes): new_recipient_fanout's
 * "never messaged before". A FIFO ring of the last CONTACT_HISTORY_CAP
 * distinct numbers (re-adding a number does not refresh it), at the end of
 * the row's `n` (state.ts), exactly as many as held. Lookups scan: at a few
 * hundred entries that costs less than a hash table's overhead per entry, and
 * memory is what counts across millions of accounts.
 *
 * Its record is the one a HashSet32 of that cap, evicting the oldest, writes
 * (hash-set32.ts's hashSetData and writeHashSetData), as the detector wrote
 * before its state became a row.
 */

/** Adds `hash`, starting the history if the account has none; true when it was not in the history. */
export function addContact(st: BulkMessagingState, hash: number): boolean {
  const at = contactedAt(st);
  const count = Math.max(0, intAt(st, CONTACTED));
  const t = st.t;
  const from = st.ti + at;
  for (let i = 0; i < count; i++) if (t[from + i] === hash) return false;
  if (count < CONTACT_HISTORY_CAP) {
    insertTailNumber(st, at + count, hash);
    setInt(st, CONTACTED, count + 1);
    return true;
  }
  const oldest = intAt(st, CONTACTED_OLDEST);
  setTailNumber(st, at + oldest, hash);
  setInt(st, CONTACTED_OLDEST, (oldest + 1) % CONTACT_HISTORY_CAP);
  return true;
}

/** The history as a HashSet32's plain data, or null before the first message. */
export function contactsData(st: BulkMessagingState): HashSet32Data | null {
  const count = intAt(st, CONTACTED);
  return count < 0 ? null : hashSetData(CONTACT_HISTORY_CAP, 'evict-oldest', st.t, st.ti + contactedAt(st), count, intAt(st, CONTACTED_OLDEST));
}

/** What value(contactsData(st)) writes, without the Uint32Array. */
export function writeContacts(out: StateWriter, st: BulkMessagingState): void {
  const count = intAt(st, CONTACTED);
  if (count < 0) return out.null();
  writeHashSetData(out, CONTACT_HISTORY_CAP, 'evict-oldest', st.t, st.ti + contactedAt(st), count, intAt(st, CONTACTED_OLDEST));
}

/** A record's history for the row's segment (its count and oldest slot go to the head); refused unless it is the ring kept here. */
export function contactsFromData(st: BulkMessagingState, data: HashSet32Data | null): number[] {
  if (data === null) return [];
  if (data.cap !== CONTACT_HISTORY_CAP || data.whenFull !== 'evict-oldest') {
    throw new RangeError(`bulk_messaging: a contact history of ${data.cap} (${data.whenFull}) where ${CONTACT_HISTORY_CAP} (evict-oldest) is kept`);
  }
  const count = Math.min(data.items.length, CONTACT_HISTORY_CAP);
  setInt(st, CONTACTED, count);
  setInt(st, CONTACTED_OLDEST, data.oldest % CONTACT_HISTORY_CAP);
  return Array.from(data.items.subarray(0, count));
}
