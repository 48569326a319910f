/**
 * Callee numbers as integers, so a walk through a range shows up as small
 * differences. E.164 has at most 15 digits, below 2^53: the integer is exact.
 * Numbers of different lengths never compare as neighbours or share a block,
 * because a shorter number is always below every longer one's block.
 */
const E164 = /^\+([1-9]\d{0,14})$/;

export function calleeNumber(e164: string): number | undefined {
  const digits = E164.exec(e164)?.[1];
  return digits === undefined ? undefined : Number(digits);
}

function digitCount(n: number): number {
  return String(n).length;
}

/** Dialled next to each other: a small step that keeps the number's length (the leading digits). */
export function isNeighbour(a: number, b: number, maxStep: number): boolean {
  const step = Math.abs(a - b);
  return step > 0 && step <= maxStep && digitCount(a) === digitCount(b);
}

/** The block of 10^blockDigits numbers a callee sits in: the number without its last digits. */
export function blockOf(n: number, blockDigits: number): number {
  return Math.floor(n / 10 ** blockDigits);
}
