/**
 * The destination range of an E.164 number: its country code, or for the
 * North American Numbering Plan (+1, some twenty countries and hundreds of
 * area codes) the country code with the 3-digit area code. Coarse on
 * purpose: a traveller's or an expatriate's calls stay in one range per
 * country, while a surge into a range the account never used stands out.
 *
 * ITU-T E.164 country codes are prefix-free: +1 and +7 are the only 1-digit
 * codes, the 2-digit codes are listed below, and every other code has 3 digits.
 */
const TWO_DIGIT_CODES: ReadonlySet<string> = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66',
  '81', '82', '84', '86', '90', '91', '92', '93', '94', '95', '98',
]);

const E164 = /^\+[1-9]\d{1,14}$/;

/** `+1415` for `+14155550123`, `+44` for `+442071838750`, `+882` for `+88213...`; undefined when not E.164. */
export function destinationRange(number: string): string | undefined {
  if (!E164.test(number)) return undefined;
  const digits = number.slice(1);
  if (digits.startsWith('1')) return `+${digits.slice(0, 4)}`;
  if (digits.startsWith('7')) return '+7';
  const two = digits.slice(0, 2);
  return TWO_DIGIT_CODES.has(two) ? `+${two}` : `+${digits.slice(0, 3)}`;
}

/**
 * The range as a number: its digits (1415 for `+1415`, 44 for `+44`), so a
 * range history holds no strings. One-to-one: a range is `+` and one to four
 * digits, the first never 0, so different ranges have different digits and
 * different numbers.
 */
export function rangeCode(number: string): number | undefined {
  const range = destinationRange(number);
  return range === undefined ? undefined : Number(range.slice(1));
}
