package local.abusedetector.peer;

/**
 * Reads the few fields the peer needs straight from our records' bytes:
 * Avro single-object encoding (C3 01, an 8-byte schema fingerprint, then the
 * body), whose CallEvent and MessageEvent bodies begin
 * type, eventId, eventTime, accountId (and for calls callId, phase).
 * A hand decoder rather than org.apache.avro: the peer then pays no more to
 * decode than it needs, which flatters it, not us.
 */
final class AvroFields {
  static final int HEADER = 10;

  private AvroFields() {}

  static boolean framed(byte[] v) {
    return v != null && v.length > HEADER && (v[0] & 0xff) == 0xc3 && v[1] == 0x01;
  }

  /** The record's eventTime (ms), or -1 if it is not a framed record. */
  static long eventTime(byte[] v) {
    if (!framed(v)) return -1;
    int[] pos = {HEADER};
    skipString(v, pos); // type
    skipString(v, pos); // eventId
    return readLong(v, pos);
  }

  /** Whether a call record is the `start` phase (the enum's first symbol): calls are counted when dialled. */
  static boolean isCallStart(byte[] v) {
    if (!framed(v)) return false;
    int[] pos = {HEADER};
    skipString(v, pos); // type
    skipString(v, pos); // eventId
    readLong(v, pos); // eventTime
    skipString(v, pos); // accountId
    skipString(v, pos); // callId
    return readLong(v, pos) == 0;
  }

  /** Avro long: zig-zag varint. */
  static long readLong(byte[] b, int[] pos) {
    long n = 0;
    int shift = 0;
    int x;
    do {
      x = b[pos[0]++] & 0xff;
      n |= (long) (x & 0x7f) << shift;
      shift += 7;
    } while ((x & 0x80) != 0);
    return (n >>> 1) ^ -(n & 1);
  }

  static void skipString(byte[] b, int[] pos) {
    long len = readLong(b, pos);
    pos[0] += (int) len;
  }
}
