/**
 * A 32-bit hash of a string (a phone number or a content hash), so per-account
 * state stores 4 bytes a value instead of the string, and never the number
 * itself. FNV-1a, then the MurmurHash3 finaliser: FNV alone mixes its low bits
 * poorly for numbers that differ only in their last digits, and the recipient
 * sketch indexes its bitmap with the low bits.
 */
export function hash32(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
