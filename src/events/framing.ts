import { BadRecordError } from '../errors';

/**
 * The two Avro framings a topic may use (configured per topic):
 * - `single-object`: Avro single-object encoding, C3 01 + 8-byte little-endian
 *   CRC-64-AVRO fingerprint + body. Registry-free: fingerprints come from schemas/.
 * - `confluent`: Confluent Schema Registry wire format, 00 + 4-byte big-endian
 *   schema id + body. Writer schemas come from the registry.
 */
export const FRAMINGS = ['single-object', 'confluent'] as const;
export type Framing = (typeof FRAMINGS)[number];

export type WriterRef = { framing: 'single-object'; fingerprint: bigint } | { framing: 'confluent'; schemaId: number };

const SINGLE_OBJECT_MAGIC = [0xc3, 0x01] as const;
export const SINGLE_OBJECT_HEADER = 10;
const CONFLUENT_HEADER = 5;

export function frameSingleObject(fingerprint: bigint, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(SINGLE_OBJECT_HEADER + body.length);
  out[0] = SINGLE_OBJECT_MAGIC[0];
  out[1] = SINGLE_OBJECT_MAGIC[1];
  out.writeBigUInt64LE(fingerprint, 2);
  body.copy(out, SINGLE_OBJECT_HEADER);
  return out;
}

export function frameConfluent(schemaId: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(CONFLUENT_HEADER + body.length);
  out[0] = 0;
  out.writeUInt32BE(schemaId, 1);
  body.copy(out, CONFLUENT_HEADER);
  return out;
}

function describeFirstBytes(buf: Buffer): string {
  if (buf.length === 0) return 'an empty value';
  const guess = buf[0] === 0 ? ' (Confluent framing?)' : buf[0] === 0xc3 ? ' (single-object framing?)' : buf[0] === 0x7b ? ' (JSON?)' : '';
  return `first byte 0x${(buf[0] ?? 0).toString(16).padStart(2, '0')}${guess}`;
}

/** Whether `buf` starts with the single-object header of the fingerprint whose low and high 32 bits (LE) are given. */
export function hasSingleObjectHeader(buf: Buffer, fingerprintLow: number, fingerprintHigh: number): boolean {
  return (
    buf.length >= SINGLE_OBJECT_HEADER &&
    buf[0] === SINGLE_OBJECT_MAGIC[0] &&
    buf[1] === SINGLE_OBJECT_MAGIC[1] &&
    buf.readUInt32LE(2) === fingerprintLow &&
    buf.readUInt32LE(6) === fingerprintHigh
  );
}

/** Reads the framing header; the body starts at `bodyOffset`. */
export function readHeader(framing: Framing, buf: Buffer): { ref: WriterRef; bodyOffset: number } {
  if (framing === 'single-object') {
    if (buf.length < SINGLE_OBJECT_HEADER || buf[0] !== SINGLE_OBJECT_MAGIC[0] || buf[1] !== SINGLE_OBJECT_MAGIC[1]) {
      throw new BadRecordError('DECODE_FAILED', `expected Avro single-object framing (C3 01 + fingerprint), found ${describeFirstBytes(buf)}`);
    }
    return { ref: { framing, fingerprint: buf.readBigUInt64LE(2) }, bodyOffset: SINGLE_OBJECT_HEADER };
  }
  if (buf.length < CONFLUENT_HEADER || buf[0] !== 0) {
    throw new BadRecordError('DECODE_FAILED', `expected Confluent framing (00 + schema id), found ${describeFirstBytes(buf)}`);
  }
  return { ref: { framing, schemaId: buf.readUInt32BE(1) }, bodyOffset: CONFLUENT_HEADER };
}
