/**
 * A password, PIN or one-time code stated in a message: "my password is …",
 * "pin: 4821", "the code is 552817". Talking about a password ("I forgot my
 * password", "reset your password") states none and is not counted.
 */
const STATED_SECRET = /\b(password|passcode|passwd|pwd|pin|one[- ]time code|otp|verification code|security code|code)\b\s*(?:is|was|=|:)\s*['"“]?([^\s'"”,;]{4,})/gi;

export function countCredentials(text: string): number {
  let count = 0;
  for (const match of text.matchAll(STATED_SECRET)) {
    const kind = (match[1] ?? '').toLowerCase();
    const secret = match[2] ?? '';
    // A bare "code" counts only when the value looks like a one-time code (digits), not "code is broken".
    if (kind === 'code' && !/^\d{4,8}$/.test(secret)) continue;
    // "password is incorrect", "pin is wrong" describe a secret without stating it.
    if (/^(incorrect|wrong|invalid|expired|required|needed|missing|correct|changed|reset|too|not|the|my|your)/i.test(secret)) continue;
    count++;
  }
  return count;
}
