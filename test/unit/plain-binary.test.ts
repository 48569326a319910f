import { isDeepStrictEqual } from 'node:util';
import { FieldNames, PlainBinaryError, PlainWriter, readPlain } from '../../src/io/plain-binary';
import { Field, type StateWriter } from '../../src/engine/state-writer';
import { caught } from '../helpers/errors';

/** The changelog's compact value form: what goes in comes out, deep and strictly equal, whatever the shape. */
describe('plain binary', () => {
  const writer = new PlainWriter();
  const roundTrip = (v: unknown): unknown => {
    writer.begin().value(v);
    return readPlain(writer.take());
  };

  it('keeps every kind of plain data a state codec returns, including the numbers that are easy to lose', () => {
    const value = {
      ints: [0, 1, 127, 128, 16_383, 16_384, 2 ** 32 - 1, 2 ** 32, -1, -(2 ** 32 - 1), -(2 ** 32), Number.MAX_SAFE_INTEGER],
      floats: [0.5, -0.25, 1e-300, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, -0, 1_767_571_201_295],
      strings: ['', 'a', 'x'.repeat(127), 'y'.repeat(128), 'z'.repeat(70_000), 'ünïcödé', '📞 call', 'ascii then é'],
      flags: [true, false, null, undefined],
      nested: { a: { b: { c: [[], {}, [[1]]] } } },
      map: new Map<unknown, unknown>([['m', 3], [7, { deep: [1, 2] }]]),
      set: new Set<unknown>(['s', 1, null]),
      u32: new Uint32Array([0, 1, 2 ** 32 - 1]),
      f64: new Float64Array([1, Number.NEGATIVE_INFINITY, -0]),
      i32: new Int32Array([-5, 5]),
      u8: new Uint8Array([255, 0]),
      empty: new Float64Array(0),
    };
    const back = roundTrip(value) as typeof value;
    expect(isDeepStrictEqual(back, value)).toBe(true);
    expect(Object.is(back.floats[6], -0)).toBe(true);
    expect(back.u32).toBeInstanceOf(Uint32Array);
  });

  it('writes an event time as a 6-byte varint and -Infinity as its tag alone, where a double takes 8 bytes', () => {
    const size = (v: unknown): number => {
      writer.begin().value(v);
      return writer.take().length;
    };
    expect(size(1_767_571_201_295)).toBe(7);
    expect(size(-1_767_571_201_295)).toBe(7);
    expect(size(Number.MAX_SAFE_INTEGER)).toBe(9);
    expect([size(Number.NEGATIVE_INFINITY), size(Number.POSITIVE_INFINITY)]).toEqual([1, 1]);
    expect([size(0.5), size(-0), size(2 ** 53)]).toEqual([9, 9, 9]);
    for (const n of [2 ** 32, 2 ** 35 + 1, 1_767_571_201_295, -(2 ** 40) - 3, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) expect(roundTrip(n)).toBe(n);
  });

  it("writes later event times as their distance from the value's first: in seconds when whole, as itself when far", () => {
    const size = (v: unknown): number => {
      writer.begin().value(v);
      return writer.take().length;
    };
    const t = 1_767_571_201_295;
    // An array header (2), the first time (7), then its minute's and its hour's window starts in seconds from the
    // first's second (tag + 1 byte, tag + 2 bytes) and a time 37 ms after the first (tag + 1 byte).
    expect(size([t, t - 1_295, t - 3_601_295, t + 37])).toBe(2 + 7 + 2 + 3 + 2);
    // Past 2^31 ms away (24.8 days), a time is written as itself again; the base stays the first.
    const far = t + 2 ** 31;
    expect(size([t, far, t + 1000])).toBe(2 + 7 + 7 + 3);
    const times = [t, t - 1, t + 1, t - 1000, far, -far, t - 2 ** 31 + 1, t + 2 ** 31 - 1, t - 2 ** 31, 2 ** 32, -(2 ** 32), Number.MAX_SAFE_INTEGER, t];
    expect(roundTrip(times)).toEqual(times);
    // The first big integer may be negative, and the distances run across objects, maps and typed arrays' neighbours.
    const nested = { a: -t, b: [new Float64Array([t]), new Map([[t + 5, -t - 5]])], c: { d: t - 3_600_000 } };
    expect(isDeepStrictEqual(roundTrip(nested), nested)).toBe(true);
  });

  it('refuses a distance with no first big integer to measure it from', () => {
    // Tag 18 (a distance of 1) as the first number of a value.
    expect(caught(PlainBinaryError, () => readPlain(Buffer.from([18, 2]))).message).toBe("a number near the value's first big integer at byte 0, before any");
    expect(caught(PlainBinaryError, () => readPlain(Buffer.from([19, 2]))).message).toBe("a number near the value's first big integer at byte 0, before any");
  });

  it('refuses a long integer longer than eight bytes or past 2^53 rather than rounding it', () => {
    // Tag 14: a whole number from 2^32 on.
    expect(caught(PlainBinaryError, () => readPlain(Buffer.from([14, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))).message).toMatch(/longer than eight bytes/);
    expect(caught(PlainBinaryError, () => readPlain(Buffer.from([14, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]))).message).toMatch(/past 2\^53/);
  });

  it('reads a typed array from an odd offset (a value behind the format byte) into an aligned copy', () => {
    writer.begin(2).value([new Float64Array([1.5, 2.5]), new Uint32Array([9])]);
    const out = writer.take();
    expect(readPlain(out, 1)).toEqual([new Float64Array([1.5, 2.5]), new Uint32Array([9])]);
  });

  it('keeps a view onto part of a larger buffer as just that part', () => {
    const whole = new Uint32Array([1, 2, 3, 4]);
    expect(roundTrip(whole.subarray(1, 3))).toEqual(new Uint32Array([2, 3]));
  });

  it('grows its scratch buffer for large values and still gives each value its own buffer', () => {
    writer.begin().value(Array.from({ length: 5_000 }, (_, i) => ({ i, s: `id-${i}` })));
    const big = writer.take();
    writer.begin().value('small');
    const small = writer.take();
    expect((readPlain(big) as { i: number }[])[4_999]).toEqual({ i: 4_999, s: 'id-4999' });
    expect(readPlain(small)).toBe('small');
  });

  it('hands out values written one after another that later values, slab changes and abandoned values leave alone', () => {
    // Sizes from a few bytes to past a slab (64 KB), so that values start near a slab's end, move to a new slab
    // half written (objects, whose field count is filled in at the end; some of 128 fields and more), or need a
    // slab of their own.
    const own = new PlainWriter();
    const rand = ((seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)(99);
    const made: [unknown, Buffer][] = [];
    for (let i = 0; i < 3_000; i++) {
      const fields = rand() < 0.02 ? 130 : 1 + Math.floor(rand() * 4);
      const text = 'v'.repeat(rand() < 0.01 ? 70_000 : Math.floor(rand() * 400));
      const v = Object.fromEntries(Array.from({ length: fields }, (_, f) => [`f${f}`, f === 0 ? text : i * f]));
      own.begin(5).value(v);
      // Now and then a value is begun and never taken: it is written over.
      if (rand() < 0.05) {
        own.begin(5).value({ abandoned: 'x'.repeat(600) });
        own.begin(5).value(v);
      }
      made.push([v, own.take()]);
    }
    for (const [v, bytes] of made) {
      expect(bytes[0]).toBe(5);
      expect(isDeepStrictEqual(readPlain(bytes, 1), v)).toBe(true);
    }
  });

  it('keeps objects of 128 fields and more, whose field count takes more than one byte', () => {
    for (const n of [127, 128, 300, 20_000]) {
      const wide = Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i % 2 === 0 ? i : { nested: [i] }]));
      expect(isDeepStrictEqual(roundTrip({ before: 1, wide, after: 'x' }), { before: 1, wide, after: 'x' })).toBe(true);
    }
  });

  it('round-trips random nested values', () => {
    let seed = 11;
    const rand = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const make = (depth: number): unknown => {
      const r = rand();
      if (depth > 3 || r < 0.3) return [Math.floor(rand() * 2 ** 40) - 2 ** 39, rand() * 1e6, `s${Math.floor(rand() * 1e9)}`, rand() < 0.5][Math.floor(rand() * 4)];
      if (r < 0.6) return Array.from({ length: Math.floor(rand() * 5) }, () => make(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 5) }, (_, i) => [`k${i}`, make(depth + 1)]));
    };
    for (let i = 0; i < 500; i++) {
      const v = make(0);
      expect(isDeepStrictEqual(roundTrip(v), v)).toBe(true);
    }
  });

  it('refuses what is not plain data when writing, naming it', () => {
    class Window {
      start = 0;
    }
    expect(caught(PlainBinaryError, () => writer.begin().value({ w: new Window() })).message).toMatch(/instance of Window .*plain data/);
    expect(caught(PlainBinaryError, () => writer.begin().value(10n)).message).toMatch(/cannot encode a bigint/);
    expect(caught(PlainBinaryError, () => writer.begin().value(() => 1)).message).toMatch(/cannot encode a function/);
  });

  it('refuses truncated, padded or foreign bytes rather than misreading them', () => {
    writer.begin().value({ ids: ['a', 'b'], n: 300 });
    const good = writer.take();
    expect(caught(PlainBinaryError, () => readPlain(good.subarray(0, good.length - 1))).message).toMatch(/truncated|past the end/);
    expect(caught(PlainBinaryError, () => readPlain(Buffer.concat([good, Buffer.from([0])]))).message).toMatch(/1 bytes left over/);
    expect(caught(PlainBinaryError, () => readPlain(Buffer.from([99]))).message).toMatch(/unknown value tag 99/);
    // A count far beyond the bytes there are must not allocate first and fail later.
    expect(caught(PlainBinaryError, () => readPlain(Buffer.from([8, 0xff, 0xff, 0xff, 0x0f]))).message).toMatch(/runs past the end/);
  });

  describe('with a field-name dictionary', () => {
    const names = new FieldNames(['windowStart', 'count', 'fired']);
    const named = new PlainWriter(names);
    const write = (v: unknown): Buffer => {
      named.begin().value(v);
      return named.take();
    };

    it('writes listed names as their position and unlisted ones as text, and reads both back', () => {
      const value = { windowStart: 5, count: 2, fired: true, extra: { count: 1, 'ünlisted': [{ fired: false }] } };
      const bytes = write(value);
      expect(isDeepStrictEqual(readPlain(bytes, 0, names), value)).toBe(true);
      writer.begin().value(value);
      // Each listed name saves its text; each unlisted one ('extra', 'ünlisted') costs the marker byte before it.
      expect(bytes.length).toBe(writer.take().length - ('windowStart'.length + 'count'.length * 2 + 'fired'.length * 2) + 2);
    });

    it('round-trips random nested values whose names are partly listed', () => {
      const listed = new FieldNames(['k0', 'k2', 'k4']);
      const w = new PlainWriter(listed);
      let seed = 5;
      const rand = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
      const make = (depth: number): unknown =>
        depth > 3 || rand() < 0.3 ? Math.floor(rand() * 1e6) : Object.fromEntries(Array.from({ length: Math.floor(rand() * 6) }, (_, i) => [`k${i}`, make(depth + 1)]));
      for (let i = 0; i < 300; i++) {
        const v = make(0);
        w.begin().value(v);
        expect(isDeepStrictEqual(readPlain(w.take(), 0, listed), v)).toBe(true);
      }
    });

    it('refuses a dictionary object without the dictionary, and a name past the end of the dictionary, rather than guessing', () => {
      const bytes = write({ fired: true });
      expect(caught(PlainBinaryError, () => readPlain(bytes)).message).toMatch(/dictionary field names at byte 0, and no dictionary/);
      const longer = new FieldNames(['windowStart', 'count', 'fired', 'later']);
      const w = new PlainWriter(longer);
      w.begin().value({ later: 1 });
      expect(caught(PlainBinaryError, () => readPlain(w.take(), 0, names)).message).toMatch(/field name 3 at byte 2 is past the 3 names this build knows/);
    });

    it('refuses a list that names a field twice: its two positions would read back as one', () => {
      expect(() => new FieldNames(['a', 'b', 'a'])).toThrow('field name "a" is listed twice (at 0 and 2)');
    });
  });

  describe('written piece by piece (StateWriter)', () => {
    // { t: 5, name: 'ab', list: [1, -2.5, true, null], unlisted: { deep: 'x' } } by hand, a Field and a plain name mixed.
    const T = new Field('t');
    const UNLISTED = new Field('unlisted');
    const byHand = (out: StateWriter): void => {
      out.object(4);
      out.field(T);
      out.number(5);
      out.field('name');
      out.string('ab');
      out.field('list');
      out.array(4);
      out.number(1);
      out.number(-2.5);
      out.boolean(true);
      out.null();
      out.field(UNLISTED);
      out.object(1);
      out.field('deep');
      out.value('x');
    };
    const plain = { t: 5, name: 'ab', list: [1, -2.5, true, null], unlisted: { deep: 'x' } };
    const bytes = (w: PlainWriter, write: (w: PlainWriter) => void): string => {
      w.begin(3);
      write(w);
      return w.take().toString('hex');
    };

    it('gives the bytes value() gives, with field names listed, not listed, and without a list', () => {
      const listed = new PlainWriter(new FieldNames(['list', 't', 'name', 'deep']));
      const other = new PlainWriter(new FieldNames(['deep', 'name']));
      const textual = new PlainWriter();
      // The same Fields go through writers with different lists in turn: each must write its own writer's positions.
      for (const w of [listed, other, textual, listed, textual, other]) {
        expect(bytes(w, byHand)).toBe(bytes(w, (x) => x.value(plain)));
      }
      expect(readPlain(Buffer.from(bytes(listed, byHand), 'hex'), 1, new FieldNames(['list', 't', 'name', 'deep']))).toEqual(plain);
    });

    it('writes typed arrays from plain numbers as the typed arrays themselves would be written', () => {
      const w = new PlainWriter();
      // Single-precision rounding, infinities and NaN; Uint32 wrapping, negatives, fractions, a missing number as 0.
      const floats = [0.1, 2280, 1e40, -1e-50, Number.POSITIVE_INFINITY, Number.NaN, -0];
      expect(bytes(w, (x) => x.float32s(floats))).toBe(bytes(w, (x) => x.value(Float32Array.from(floats))));
      const store = [7, 2 ** 32 + 5, -1, 3.9, 11, 12];
      expect(bytes(w, (x) => x.uint32s(store, 1, 2, 4))).toBe(bytes(w, (x) => x.value(Uint32Array.from([2 ** 32 + 5, 3.9, 12, 0]))));
      expect(bytes(w, (x) => x.uint32s(store, 0, 1, 0))).toBe(bytes(w, (x) => x.value(new Uint32Array(0))));
    });
  });
});
