/**
 * CRC-64-AVRO (Rabin) fingerprint of a schema's Parsing Canonical Form, as the
 * Avro specification defines it for single-object encoding. avsc offers only
 * md5 and sha fingerprints, so the 64-bit one is computed here.
 */
const EMPTY = 0xc15d213aa4d7a795n;
const MASK = 0xffffffffffffffffn;

const TABLE: readonly bigint[] = (() => {
  const table: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let fp = BigInt(i);
    for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n));
    table.push(fp & MASK);
  }
  return table;
})();

export function rabinFingerprint(canonical: string): bigint {
  let fp = EMPTY;
  for (const byte of Buffer.from(canonical, 'utf8')) {
    fp = (fp >> 8n) ^ (TABLE[Number((fp ^ BigInt(byte)) & 0xffn)] ?? 0n);
  }
  return fp & MASK;
}
