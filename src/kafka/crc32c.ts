/**
 * CRC-32C (Castagnoli), as Kafka's record batches carry it: slicing-by-8,
 * eight table look-ups per eight bytes instead of one per byte (kafkajs's own
 * loop), about four times as fast on a changelog commit's batches.
 */
const POLY = 0x82f63b78;

function tables(): Uint32Array[] {
  const t0 = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t0[i] = c >>> 0;
  }
  const out = [t0];
  for (let t = 1; t < 8; t++) {
    const prev = out[t - 1] as Uint32Array;
    const next = new Uint32Array(256);
    for (let i = 0; i < 256; i++) next[i] = ((prev[i] as number) >>> 8) ^ (t0[(prev[i] as number) & 0xff] as number);
    out.push(next);
  }
  return out;
}

const [T0, T1, T2, T3, T4, T5, T6, T7] = tables() as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];

/** The CRC-32C of `buf`, unsigned. */
export function crc32c(buf: Uint8Array): number {
  let crc = ~0;
  const n = buf.length;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    crc ^= (buf[i] as number) | ((buf[i + 1] as number) << 8) | ((buf[i + 2] as number) << 16) | ((buf[i + 3] as number) << 24);
    crc =
      (T7[crc & 0xff] as number) ^
      (T6[(crc >>> 8) & 0xff] as number) ^
      (T5[(crc >>> 16) & 0xff] as number) ^
      (T4[crc >>> 24] as number) ^
      (T3[buf[i + 4] as number] as number) ^
      (T2[buf[i + 5] as number] as number) ^
      (T1[buf[i + 6] as number] as number) ^
      (T0[buf[i + 7] as number] as number);
  }
  for (; i < n; i++) crc = (T0[(crc ^ (buf[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
}
