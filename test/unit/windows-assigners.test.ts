import { hopping, tumbling } from '../../src/engine/windows';

const starts = (ws: { start: number; end: number }[]): number[] => ws.map((w) => w.start);

describe('tumbling assigner', () => {
  const hour = tumbling(3_600_000);

  it('aligns to the epoch, start inclusive, end exclusive', () => {
    expect(hour.windowsFor(0)).toEqual([{ start: 0, end: 3_600_000 }]);
    expect(hour.windowsFor(3_599_999)).toEqual([{ start: 0, end: 3_600_000 }]);
    expect(hour.windowsFor(3_600_000)).toEqual([{ start: 3_600_000, end: 7_200_000 }]);
    expect(tumbling(1000).windowsFor(-1)).toEqual([{ start: -1000, end: 0 }]);
  });

  it('puts every event in exactly one window', () => {
    expect(hour.windowsPerEvent).toBe(1);
    for (const t of [1, 999, 1000, 1_234_567, 1_700_000_000_123]) expect(hour.windowsFor(t)).toHaveLength(1);
  });

  it('rejects sizes that are not positive whole milliseconds, and non-finite times', () => {
    expect(() => tumbling(0)).toThrow(RangeError);
    expect(() => tumbling(1.5)).toThrow(RangeError);
    expect(() => tumbling(Number.NaN)).toThrow(RangeError);
    expect(() => hour.windowsFor(Number.NaN)).toThrow(RangeError);
  });
});

describe('hopping assigner', () => {
  it('returns every window an event is in, oldest first, start inclusive, end exclusive', () => {
    const h = hopping(1000, 250);
    expect(h.windowsPerEvent).toBe(4);
    expect(h.windowsFor(1000)).toEqual([
      { start: 250, end: 1250 },
      { start: 500, end: 1500 },
      { start: 750, end: 1750 },
      { start: 1000, end: 2000 },
    ]);
    expect(starts(h.windowsFor(1249))).toEqual([250, 500, 750, 1000]);
    expect(starts(h.windowsFor(1250))).toEqual([500, 750, 1000, 1250]);
    expect(starts(h.windowsFor(-1))).toEqual([-1000, -750, -500, -250]);
  });

  it('handles a size that is not a multiple of the advance', () => {
    const h = hopping(1000, 300);
    expect(h.windowsPerEvent).toBe(4);
    expect(starts(h.windowsFor(1000))).toEqual([300, 600, 900]);
    expect(starts(h.windowsFor(950))).toEqual([0, 300, 600, 900]);
  });

  it('with advance equal to size is the tumbling window', () => {
    const h = hopping(1000, 1000);
    for (const t of [-1, 0, 999, 1000, 123_456]) expect(h.windowsFor(t)).toEqual(tumbling(1000).windowsFor(t));
  });

  it('matches a brute-force search over epoch-aligned windows', () => {
    for (const [size, advance] of [
      [1000, 250],
      [1000, 300],
      [700, 700],
      [60_000, 7_000],
    ] as const) {
      const h = hopping(size, advance);
      for (let t = -3 * size; t <= 3 * size; t += 37) {
        const expected: number[] = [];
        for (let s = Math.floor((t - size) / advance) * advance; s <= t; s += advance) if (s <= t && t < s + size) expected.push(s);
        const got = h.windowsFor(t);
        expect(starts(got)).toEqual(expected);
        for (const w of got) expect(w.end - w.start).toBe(size);
        expect(got.length).toBeLessThanOrEqual(h.windowsPerEvent);
      }
    }
  });

  it('rejects an advance larger than the size or not positive', () => {
    expect(() => hopping(1000, 1001)).toThrow(/must not exceed/);
    expect(() => hopping(1000, 0)).toThrow(RangeError);
    expect(() => hopping(1000, -5)).toThrow(RangeError);
  });
});
