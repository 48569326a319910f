/**
 * A compact binary form for the plain data that state codecs produce (see
 * StateCodec: objects, arrays, Map, Set, typed arrays, numbers including
 * ±Infinity, NaN and -0, strings, booleans, null, undefined), written for the
 * changelog, where every commit encodes one value per changed key.
 *
 * Why not V8's structured clone (`v8.serialize`): a profile of `run` put it
 * at about 11% of the process, nearly all of it per-call set-up (a
 * serializer object per value, typed arrays handed back to JavaScript as
 * host objects) on values of a few hundred bytes, plus a second buffer copy
 * to prepend the format byte. Here one growable scratch buffer is reused for
 * every value and each value is copied out once, at its exact size.
 *
 * Layout: a tag byte per value, then
 *   UINT / NEG_INT   varint of |n| (integers below 2^32)
 *   BIG_UINT / BIG_NEG_INT  varint of |n|, up to 8 bytes (safe integers from 2^32: times in ms)
 *   NEAR             zigzag varint of n - base, where base is the value's first
 *                    BIG_UINT / BIG_NEG_INT (a safe integer from 2^32 within 2^31 of it)
 *   NEAR_SECONDS     a whole number of thousands n: zigzag varint of n / 1000 -
 *                    floor(base / 1000) (window starts are whole seconds)
 *   -INFINITY / INFINITY    the tag alone
 *   F64              8 bytes little-endian (every other number: fractions, NaN, -0, past 2^53)
 *   STRING           varint byte length, UTF-8
 *   ARRAY / SET      varint count, items
 *   OBJECT / MAP     varint count, then key and value pairs (object keys are strings)
 *   TYPED            one byte naming the kind, varint length, elements little-endian
 *   NAMED_OBJECT     varint count, then per field a varint r and the value:
 *                    r > 0 is the field name at r - 1 of the writer's FieldNames,
 *                    r = 0 is followed by the name itself, as a STRING's bytes
 * A hole in an array comes back as undefined.
 *
 * Why NAMED_OBJECT: field names were over half the bytes of a typical
 * changelog value (≈ 500 of ≈ 900: every counter spells out "windowStart",
 * "count" and "fired"), and the codecs use about 150 names in all. A fixed
 * dictionary that writer and reader share turns each into one byte and is
 * cheaper to write than the text. (Back-references to names seen earlier in
 * the same value were tried first: 18% smaller, but twice the encode time.)
 *
 * Why NEAR: a changelog value holds about 18 event times and window starts,
 * all within hours of each other, and window starts are whole seconds. Each
 * after the first costs 2 to 4 bytes as its distance from the first instead
 * of 7 as itself: 9% of the bytes at bench traffic.
 */
import type { Field, StateWriter } from '../engine/state-writer';

const enum Tag {
  Undefined = 0,
  Null = 1,
  False = 2,
  True = 3,
  Uint = 4,
  NegInt = 5,
  F64 = 6,
  String = 7,
  Array = 8,
  Object = 9,
  Map = 10,
  Set = 11,
  Typed = 12,
  NamedObject = 13,
  BigUint = 14,
  BigNegInt = 15,
  NegInfinity = 16,
  Infinity = 17,
  Near = 18,
  NearSeconds = 19,
}

/** How far from the value's first big integer (either way) another is written as its distance: zigzag fits 32 bits. */
const NEAR = 0x7fff_ffff;

/** -1 → 1, 1 → 2, -2 → 3: small distances either way in few varint bytes (|d| ≤ NEAR, so below 2^32). */
const zigzag = (d: number): number => (d >= 0 ? d * 2 : -d * 2 - 1);
const unzigzag = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

type TypedKind = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;
type TypedCtor = new (length: number) => TypedKind;

/** Index = the kind byte written after Tag.Typed. Order is part of the format: append only. */
const TYPED: readonly TypedCtor[] = [Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array];
const TYPED_BYTES = TYPED.map((ctor) => (ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT);
const FLOAT32_KIND = TYPED.indexOf(Float32Array);
const UINT32_KIND = TYPED.indexOf(Uint32Array);

/** A value the format cannot carry (a class instance, a function, a bigint): a codec returned something that is not plain data. */
export class PlainBinaryError extends Error {
  override readonly name = 'PlainBinaryError';
}

/**
 * Object field names that a writer and its readers agree on, each written as
 * its position in the list. The list is part of the data's format: append
 * only, never reorder or remove, or what was written earlier reads back under
 * other names. A name not listed is still written, as text.
 */
export class FieldNames {
  /**
   * A prototype-less object rather than a Map: looked up for every field of every changelog value, and a property
   * load is about a quarter quicker than Map.get here.
   */
  private readonly positions: Record<string, number | undefined> = Object.create(null) as Record<string, number | undefined>;

  constructor(readonly names: readonly string[]) {
    names.forEach((name, i) => {
      const first = this.positions[name];
      if (first !== undefined) throw new RangeError(`field name "${name}" is listed twice (at ${first} and ${i}): each name has one position`);
      this.positions[name] = i;
    });
  }

  positionOf(name: string): number | undefined {
    return this.positions[name];
  }

  nameAt(position: number): string | undefined {
    return this.names[position];
  }
}

/** Values are written one after another into slabs of this size (or larger, for a larger value). */
const SLAB_BYTES = 64 * 1024;
/** A value is begun in a fresh slab when less than this is left in the current one. */
const SLAB_TAIL = 1024;

/**
 * Writes values one after another into a slab; `take()` hands out what was written as a view of the slab, and the
 * next value goes after it. Once a slab is full a new one is made: the old one lives on while any of its views
 * does. Why slabs: a commit writes a value per changed key (thousands), and a Buffer of its own per value (a copy
 * from a scratch buffer, in Node's 8 KB pools) cost a new pool every couple of dozen values, about a tenth of the
 * changelog's encoding. Besides value(v), the StateWriter calls write the same bytes piece by piece (a codec's
 * write, without building v).
 */
export class PlainWriter implements StateWriter {
  private buf = Buffer.allocUnsafeSlow(SLAB_BYTES);
  /** Where the value being written starts in `buf`. */
  private start = 0;
  private pos = 0;
  /** The first safe integer from 2^32 written since begin(): later ones near it are written as their distance (NEAR). */
  private base = Number.NaN;
  private baseSeconds = Number.NaN;

  /** With `names`, objects are written as NAMED_OBJECT, which only a reader given the same names reads. */
  constructor(private readonly names?: FieldNames) {}

  /** Starts a new value, optionally after a leading format byte. */
  begin(prefix?: number): this {
    // A value begun and not taken is written over.
    this.pos = this.start;
    if (this.buf.length - this.pos < SLAB_TAIL) {
      this.buf = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.pos = 0;
      this.start = 0;
    }
    this.base = Number.NaN;
    this.baseSeconds = Number.NaN;
    if (prefix !== undefined) this.byte(prefix);
    return this;
  }

  /** What was written since begin(): a view of bytes this writer never writes again. */
  take(): Buffer {
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return out;
  }

  value(v: unknown): void {
    switch (typeof v) {
      case 'number':
        return this.number(v);
      case 'string':
        return this.string(v);
      case 'boolean':
        return this.boolean(v);
      case 'undefined':
        return this.byte(Tag.Undefined);
      case 'object':
        return v === null ? this.null() : this.plainObject(v);
      default:
        throw new PlainBinaryError(`cannot encode a ${typeof v} in changelog state: state codecs must return plain data`);
    }
  }

  object(fields: number): void {
    this.byte(this.names ? Tag.NamedObject : Tag.Object);
    this.varint(fields);
  }

  field(field: string | Field): void {
    const names = this.names;
    let name: string;
    if (typeof field === 'string') {
      name = field;
    } else {
      if (field.cachedFor !== names) {
        const position = names?.positionOf(field.name);
        field.code = position === undefined ? 0 : position + 1;
        field.cachedFor = names;
      }
      if (field.code > 0) return this.varint(field.code);
      name = field.name;
    }
    if (names === undefined) return this.text(name);
    const position = names.positionOf(name);
    this.varint(position === undefined ? 0 : position + 1);
    if (position === undefined) this.text(name);
  }

  array(length: number): void {
    this.byte(Tag.Array);
    this.varint(length);
  }

  string(s: string): void {
    this.byte(Tag.String);
    this.text(s);
  }

  boolean(b: boolean): void {
    this.byte(b ? Tag.True : Tag.False);
  }

  null(): void {
    this.byte(Tag.Null);
  }

  float32s(values: ArrayLike<number>): void {
    const n = values.length;
    this.byte(Tag.Typed);
    this.byte(FLOAT32_KIND);
    this.varint(n);
    this.room(4 * n);
    // writeFloatLE rounds to single precision as storing into a Float32Array does.
    for (let i = 0; i < n; i++) this.pos = this.buf.writeFloatLE(values[i] as number, this.pos);
  }

  uint32s(values: ArrayLike<number>, start: number, step: number, count: number): void {
    this.byte(Tag.Typed);
    this.byte(UINT32_KIND);
    this.varint(count);
    this.room(4 * count);
    // >>> 0 is the conversion a Uint32Array store makes (wrapping, NaN to 0); writeUInt32LE would refuse the rest.
    for (let i = 0; i < count; i++) this.pos = this.buf.writeUInt32LE((values[start + i * step] ?? 0) >>> 0, this.pos);
  }

  private plainObject(v: object): void {
    if (Array.isArray(v)) {
      this.array(v.length);
      for (let i = 0; i < v.length; i++) this.value(v[i]);
      return;
    }
    if (ArrayBuffer.isView(v)) return this.typed(v);
    if (v instanceof Map) {
      this.byte(Tag.Map);
      this.varint(v.size);
      for (const [k, x] of v) {
        this.value(k);
        this.value(x);
      }
      return;
    }
    if (v instanceof Set) {
      this.byte(Tag.Set);
      this.varint(v.size);
      for (const x of v) this.value(x);
      return;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      throw new PlainBinaryError(`cannot encode an instance of ${v.constructor.name} in changelog state: state codecs must return plain data`);
    }
    const record = v as Record<string, unknown>;
    this.byte(this.names ? Tag.NamedObject : Tag.Object);
    // The field count goes first but is known only after the walk: a byte is kept for it and filled in after
    // (moving the fields on in the rare object of 128 fields or more). for-in spares an Object.keys array per object.
    // From the value's start: room() may move the value to a new slab.
    const countAt = this.pos - this.start;
    this.byte(0);
    let count = 0;
    for (const k in record) {
      count++;
      this.field(k);
      this.value(record[k]);
    }
    if (count < 0x80) this.buf[this.start + countAt] = count;
    else this.widenCount(countAt, count);
  }

  /** Rewrites the one-byte count `from` bytes into the value as the varint `count` needs, moving what follows it on. */
  private widenCount(from: number, count: number): void {
    let width = 1;
    for (let c = count; c > 0x7f; c >>>= 7) width++;
    this.room(width - 1);
    const at = this.start + from;
    this.buf.copy(this.buf, at + width, at + 1, this.pos);
    this.pos += width - 1;
    const end = this.pos;
    this.pos = at;
    this.varint(count);
    this.pos = end;
  }

  private typed(v: ArrayBufferView): void {
    const kind = TYPED.findIndex((ctor) => v instanceof ctor);
    if (kind < 0) throw new PlainBinaryError(`cannot encode a ${v.constructor.name} in changelog state`);
    const bytes = v.byteLength;
    this.byte(Tag.Typed);
    this.byte(kind);
    this.varint(bytes / (TYPED_BYTES[kind] as number));
    this.room(bytes);
    // Copied as bytes: little-endian on every platform Node runs the detector on (x64, arm64). A plain byte view and
    // set(), not Buffer.from(...).copy(): these arrays are small (a gap ring, a hash set) and the Buffer's set-up cost more.
    this.buf.set(new Uint8Array(v.buffer, v.byteOffset, bytes), this.pos);
    this.pos += bytes;
  }

  number(n: number): void {
    if (Number.isSafeInteger(n) && !Object.is(n, -0)) {
      const magnitude = Math.abs(n);
      if (magnitude <= 0xffff_ffff) {
        this.byte(n >= 0 ? Tag.Uint : Tag.NegInt);
        this.varint(magnitude);
      } else {
        this.bigNumber(n, magnitude);
      }
      return;
    }
    // "Not yet" in most states' windows and times: one byte instead of nine.
    if (n === Number.NEGATIVE_INFINITY) return this.byte(Tag.NegInfinity);
    if (n === Number.POSITIVE_INFINITY) return this.byte(Tag.Infinity);
    this.byte(Tag.F64);
    this.room(8);
    this.buf.writeDoubleLE(n, this.pos);
    this.pos += 8;
  }

  /**
   * A safe integer from 2^32 (event times and window starts, about 2^40 ms): the value's first as itself (6 bytes
   * instead of a double's 8), each later one within NEAR of it as its distance, zigzag, in seconds when whole.
   */
  private bigNumber(n: number, magnitude: number): void {
    // NaN (no base yet) fails both comparisons.
    if (n % 1000 === 0) {
      const seconds = n / 1000 - this.baseSeconds;
      if (seconds >= -NEAR && seconds <= NEAR) {
        this.byte(Tag.NearSeconds);
        this.varint(zigzag(seconds));
        return;
      }
    } else {
      const d = n - this.base;
      if (d >= -NEAR && d <= NEAR) {
        this.byte(Tag.Near);
        this.varint(zigzag(d));
        return;
      }
    }
    if (Number.isNaN(this.base)) {
      this.base = n;
      this.baseSeconds = Math.floor(n / 1000);
    }
    this.byte(n >= 0 ? Tag.BigUint : Tag.BigNegInt);
    this.bigVarint(magnitude);
  }

  /** A string's bytes after its tag (or a field name's): varint length, UTF-8. */
  private text(s: string): void {
    // Most strings here are short ASCII (field names, event ids): a byte loop beats the UTF-8 encoder's call.
    const n = s.length;
    if (n < 128) {
      this.room(n + 1);
      let ascii = true;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) {
          ascii = false;
          break;
        }
        this.buf[this.pos + 1 + i] = c;
      }
      if (ascii) {
        this.buf[this.pos] = n;
        this.pos += n + 1;
        return;
      }
    }
    const bytes = Buffer.byteLength(s, 'utf8');
    this.varint(bytes);
    this.room(bytes);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** Unsigned integers below 2^32, seven bits a byte. */
  private varint(n: number): void {
    this.room(5);
    let v = n >>> 0;
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }

  /** varint() for a safe integer of any size (at most 8 bytes): division, as bit operations stop at 32 bits. */
  private bigVarint(n: number): void {
    this.room(8);
    let v = n;
    while (v > 0x7f) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  private byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  /** Makes room for `n` more bytes: past the slab's end, the value so far moves to the start of a new slab. */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const length = this.pos - this.start;
    const slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, 2 * (length + n)));
    this.buf.copy(slab, 0, this.start, this.pos);
    this.buf = slab;
    this.start = 0;
    this.pos = length;
  }
}

/**
 * Reads one value written by PlainWriter from `buf` starting at `offset`,
 * with the writer's field names if it had any; throws PlainBinaryError on a
 * truncated or foreign value.
 */
export function readPlain(buf: Buffer, offset = 0, names?: FieldNames): unknown {
  const reader = new PlainReader(buf, offset, names);
  const value = reader.value();
  if (reader.pos !== buf.length) throw new PlainBinaryError(`${buf.length - reader.pos} bytes left over after the value`);
  return value;
}

class PlainReader {
  /** The value's first big integer, as in PlainWriter, and its whole seconds. */
  private base = Number.NaN;
  private baseSeconds = Number.NaN;

  constructor(
    private readonly buf: Buffer,
    public pos: number,
    private readonly names: FieldNames | undefined,
  ) {}

  value(): unknown {
    const tag = this.byte() as Tag;
    switch (tag) {
      case Tag.Undefined:
        return undefined;
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Uint:
        return this.varint();
      case Tag.NegInt:
        return -this.varint();
      case Tag.BigUint:
        return this.big(this.bigVarint());
      case Tag.BigNegInt:
        return this.big(-this.bigVarint());
      case Tag.Near:
        return this.near(false);
      case Tag.NearSeconds:
        return this.near(true);
      case Tag.NegInfinity:
        return Number.NEGATIVE_INFINITY;
      case Tag.Infinity:
        return Number.POSITIVE_INFINITY;
      case Tag.F64: {
        this.need(8);
        const n = this.buf.readDoubleLE(this.pos);
        this.pos += 8;
        return n;
      }
      case Tag.String:
        return this.string();
      case Tag.Array: {
        const n = this.count();
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) out[i] = this.value();
        return out;
      }
      case Tag.Object: {
        const n = this.count();
        const out: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const k = this.string();
          out[k] = this.value();
        }
        return out;
      }
      case Tag.NamedObject:
        return this.namedObject();
      case Tag.Map: {
        const n = this.count();
        const out = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          const k = this.value();
          out.set(k, this.value());
        }
        return out;
      }
      case Tag.Set: {
        const n = this.count();
        const out = new Set<unknown>();
        for (let i = 0; i < n; i++) out.add(this.value());
        return out;
      }
      case Tag.Typed:
        return this.typed();
      default:
        throw new PlainBinaryError(`unknown value tag ${String(tag)} at byte ${this.pos - 1}`);
    }
  }

  /** A big integer written as itself: the first is the base later ones are near. */
  private big(n: number): number {
    if (Number.isNaN(this.base)) {
      this.base = n;
      this.baseSeconds = Math.floor(n / 1000);
    }
    return n;
  }

  /** NEAR (in ms from the base) or NEAR_SECONDS (in seconds from the base's second). */
  private near(seconds: boolean): number {
    const at = this.pos - 1;
    if (Number.isNaN(this.base)) throw new PlainBinaryError(`a number near the value's first big integer at byte ${at}, before any`);
    const d = unzigzag(this.varint());
    return seconds ? (this.baseSeconds + d) * 1000 : this.base + d;
  }

  private namedObject(): Record<string, unknown> {
    const names = this.names;
    if (names === undefined) throw new PlainBinaryError(`an object with dictionary field names at byte ${this.pos - 1}, and no dictionary to read it with`);
    const n = this.count();
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const at = this.pos;
      const ref = this.varint();
      const k = ref === 0 ? this.string() : names.nameAt(ref - 1);
      if (k === undefined) throw new PlainBinaryError(`field name ${ref - 1} at byte ${at} is past the ${names.names.length} names this build knows: written by a newer build?`);
      out[k] = this.value();
    }
    return out;
  }

  private typed(): TypedKind {
    const kind = this.byte();
    const ctor = TYPED[kind];
    if (ctor === undefined) throw new PlainBinaryError(`unknown typed array kind ${kind} at byte ${this.pos - 1}`);
    const length = this.count();
    const bytes = length * (TYPED_BYTES[kind] as number);
    this.need(bytes);
    // A fresh, aligned array: the value's bytes may sit at any offset of the record.
    const out = new ctor(length);
    this.buf.copy(Buffer.from(out.buffer, out.byteOffset, bytes), 0, this.pos, this.pos + bytes);
    this.pos += bytes;
    return out;
  }

  private string(): string {
    const n = this.count();
    this.need(n);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** A length or count: no larger than the bytes left, so a corrupt one cannot ask for a huge allocation. */
  private count(): number {
    const n = this.varint();
    if (n > this.buf.length - this.pos) throw new PlainBinaryError(`length ${n} at byte ${this.pos} runs past the end of the value`);
    return n;
  }

  private varint(): number {
    let out = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      out += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return out;
      shift += 7;
      if (shift > 28) throw new PlainBinaryError(`varint longer than five bytes at byte ${this.pos}`);
    }
  }

  private bigVarint(): number {
    let out = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      out += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (!Number.isSafeInteger(out)) throw new PlainBinaryError(`integer past 2^53 at byte ${this.pos}`);
        return out;
      }
      scale *= 0x80;
    }
    throw new PlainBinaryError(`varint longer than eight bytes at byte ${this.pos}`);
  }

  private byte(): number {
    this.need(1);
    return this.buf[this.pos++] as number;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new PlainBinaryError(`value truncated at byte ${this.pos} (needs ${n} more)`);
  }
}
