import { Watermarks } from '../../src/engine/windows';

const options = { allowedDisorderMs: 100, idleTimeoutMs: 1000 };

describe('per-partition watermarks', () => {
  it('stream time is the highest event time seen; the watermark trails it by the allowed disorder', () => {
    const w = new Watermarks(options);
    expect(w.watermark(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(w.observe(0, 1000, 0)).toBe(900);
    // Out of order: does not move stream time back.
    expect(w.observe(0, 950, 1)).toBe(900);
    expect(w.streamTime(0)).toBe(1000);
    expect(w.observe(0, 1500, 2)).toBe(1400);
    expect(w.watermark(7)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('the low watermark is the lowest partition watermark', () => {
    const w = new Watermarks(options);
    expect(w.lowWatermark(0)).toBe(Number.NEGATIVE_INFINITY);
    w.observe(0, 1000, 0);
    w.observe(1, 600, 0);
    w.observe(2, 2000, 0);
    expect(w.lowWatermark(0)).toBe(500);
    w.observe(1, 1200, 10);
    expect(w.lowWatermark(10)).toBe(900);
  });

  it('an assigned partition that has sent nothing holds the low watermark at -Infinity until it goes idle', () => {
    const w = new Watermarks(options);
    w.assign(0, 0);
    w.assign(1, 0);
    w.observe(0, 5000, 10);
    expect(w.lowWatermark(1000)).toBe(Number.NEGATIVE_INFINITY);
    expect(w.lowWatermark(1001)).toBe(4900);
  });
});

describe('idle partitions', () => {
  it('a partition idle for more than idleTimeoutMs of processing time stops holding the low watermark back', () => {
    const w = new Watermarks(options);
    w.observe(0, 1000, 0);
    w.observe(1, 5000, 500);
    expect(w.isIdle(0, 1000)).toBe(false);
    expect(w.lowWatermark(1000)).toBe(900);
    expect(w.isIdle(0, 1001)).toBe(true);
    expect(w.lowWatermark(1001)).toBe(4900);
  });

  it('an idle partition rejoins on its next event: it holds the low watermark again, but never moves it back', () => {
    const w = new Watermarks(options);
    w.observe(0, 1000, 0);
    w.observe(1, 5000, 0);
    w.observe(1, 5200, 900);
    expect(w.lowWatermark(1500)).toBe(5100);
    w.observe(0, 1100, 1600);
    expect(w.isIdle(0, 1600)).toBe(false);
    expect(w.lowWatermark(1600)).toBe(5100);
    // Partition 1 runs ahead, partition 0 now holds the low watermark until it catches up.
    w.observe(1, 9000, 1700);
    w.observe(0, 6000, 1700);
    expect(w.lowWatermark(1700)).toBe(5900);
    w.observe(0, 9500, 1800);
    expect(w.lowWatermark(1800)).toBe(8900);
  });

  it('when every partition is idle the low watermark moves up to the highest partition watermark', () => {
    const w = new Watermarks(options);
    w.observe(0, 9000, 0);
    w.observe(1, 4000, 500);
    expect(w.lowWatermark(1001)).toBe(3900);
    expect(w.lowWatermark(1501)).toBe(8900);
    // A quiet partition waking up cannot pull it back.
    w.observe(1, 4100, 2000);
    expect(w.lowWatermark(2000)).toBe(8900);
  });

  it('idleness is measured only on the processing time passed in', () => {
    const w = new Watermarks(options);
    w.observe(0, 1000, 50_000);
    w.observe(1, 3000, 50_000);
    // Event time racing ahead on one partition makes no partition idle.
    w.observe(1, 1_000_000, 50_500);
    expect(w.lowWatermark(51_000)).toBe(900);
    expect(w.lowWatermark(51_001)).toBe(999_900);
  });

  it('an infinite timeout never marks a partition idle', () => {
    const w = new Watermarks({ allowedDisorderMs: 0, idleTimeoutMs: Number.POSITIVE_INFINITY });
    w.observe(0, 10, 0);
    w.observe(1, 20, 0);
    expect(w.lowWatermark(Number.MAX_SAFE_INTEGER)).toBe(10);
  });
});

describe('partition ownership and restore', () => {
  it('a released partition no longer holds anything back', () => {
    const w = new Watermarks(options);
    w.observe(0, 1000, 0);
    w.observe(1, 3000, 0);
    expect(w.lowWatermark(0)).toBe(900);
    w.release(0);
    expect(w.lowWatermark(0)).toBe(2900);
    expect(w.watermark(0)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('round-trips through plain data; restored partitions count as active from the restore time', () => {
    const w = new Watermarks(options);
    w.observe(0, 1000, 0);
    w.observe(1, 3000, 0);
    expect(w.lowWatermark(2000)).toBe(2900);
    const data = structuredClone(w.toData());
    expect(data).toEqual({ streamTime: [[0, 1000], [1, 3000]], low: 2900 });
    const r = Watermarks.fromData(data, options, 10_000);
    expect(r.watermark(0)).toBe(900);
    expect(r.isIdle(0, 11_000)).toBe(false);
    expect(r.lowWatermark(11_000)).toBe(2900);
    r.observe(0, 5000, 11_000);
    r.observe(1, 6000, 11_000);
    expect(r.lowWatermark(11_000)).toBe(4900);
  });

  it('refuses nonsense settings and event times', () => {
    expect(() => new Watermarks({ allowedDisorderMs: -1, idleTimeoutMs: 0 })).toThrow(/allowedDisorderMs/);
    expect(() => new Watermarks({ allowedDisorderMs: 0, idleTimeoutMs: Number.NaN })).toThrow(/idleTimeoutMs/);
    expect(() => new Watermarks(options).observe(0, Number.NaN, 0)).toThrow(RangeError);
  });
});
