/**
 * National identity numbers in their valid formats:
 * - US Social Security numbers written AAA-GG-SSSS (the usual way to share
 *   one; an unseparated 9-digit number is too often something else). Area 000,
 *   666 and 900-999, group 00 and serial 0000 are never issued.
 * - UK National Insurance numbers: two letters (with the prefixes HMRC never
 *   issues excluded), six digits, a suffix A to D.
 */
const SSN = /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g;
const NINO = /\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g;

export function countIdentityNumbers(text: string): number {
  return (text.match(SSN)?.length ?? 0) + (text.match(NINO)?.length ?? 0);
}
