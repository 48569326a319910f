/**
 * Payment card numbers in free text: 13 to 19 digits, optionally grouped by
 * single spaces or hyphens, that pass the Luhn check and start with a card
 * network's prefix. Not cards: numbers after a `+` (phone numbers), numbers
 * labelled as orders, invoices, tracking or references, and runs of one digit.
 */
const CANDIDATE = /(?:\d[ -]?){12,18}\d/g;
// Words that, just before a number, say it is something other than a card.
const NOT_A_CARD_CONTEXT = /(order|invoice|tracking|track|ref|reference|booking|confirmation|account|acct|ticket|case|#)(\s*(number|num|no|nr|id|code))?\W{0,4}$/i;
const CONTEXT_CHARS = 24;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes of the major networks (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro). */
function hasNetworkPrefix(digits: string): boolean {
  const p2 = Number(digits.slice(0, 2));
  const p4 = Number(digits.slice(0, 4));
  const p3 = Number(digits.slice(0, 3));
  return (
    digits.startsWith('4') ||
    (p2 >= 51 && p2 <= 55) ||
    (p4 >= 2221 && p4 <= 2720) ||
    p2 === 34 ||
    p2 === 37 ||
    digits.startsWith('6011') ||
    p2 === 65 ||
    (p3 >= 644 && p3 <= 649) ||
    (p4 >= 3528 && p4 <= 3589) ||
    p2 === 36 ||
    p2 === 38 ||
    (p3 >= 300 && p3 <= 305) ||
    p2 === 62 ||
    p2 === 50 ||
    (p2 >= 56 && p2 <= 58)
  );
}

export function countCardNumbers(text: string): number {
  let count = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const at = match.index ?? 0;
    const before = text.slice(Math.max(0, at - CONTEXT_CHARS), at);
    const prev = text[at - 1];
    const next = text[at + match[0].length];
    // Part of a longer number, a phone number (+...), or labelled as something else.
    if ((prev !== undefined && /[\d+]/.test(prev)) || (next !== undefined && /\d/.test(next))) continue;
    if (NOT_A_CARD_CONTEXT.test(before)) continue;
    const digits = match[0].replace(/[ -]/g, '');
    if (digits.length < 13 || digits.length > 19 || /^(\d)\1+$/.test(digits)) continue;
    if (hasNetworkPrefix(digits) && luhnValid(digits)) count++;
  }
  return count;
}
