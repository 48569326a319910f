import { DuplicateFilter, SlidingCount, Watermarks, type SlidingCountState, type SlidingOutcome } from '../../src/engine/windows';

/** "More than 3 events within any 1000 ms". */
const sliding = new SlidingCount({ threshold: 3, spanMs: 1000 });

/** Adds events in the given order with one watermark; returns whether each exceeded. */
function feed(counter: SlidingCount, state: SlidingCountState, times: readonly number[], watermark = Number.NEGATIVE_INFINITY): (boolean | 'too-late')[] {
  return times.map((t) => {
    const r = counter.add(state, t, watermark);
    return r.outcome === 'too-late' ? 'too-late' : r.exceeds;
  });
}

/** Brute force: does some span (s - X, s] containing t hold more than N of `times`? */
function bruteForce(times: readonly number[], t: number, n: number, x: number): boolean {
  for (const s of times) {
    if (!(s - x < t && t <= s)) continue;
    if (times.filter((u) => s - x < u && u <= s).length > n) return true;
  }
  return false;
}

describe('sliding count: more than N events within any X ms', () => {
  it('in order: exceeds once the (N+1)th event lands within X of the first', () => {
    const s = sliding.empty();
    expect(feed(sliding, s, [0, 100, 200])).toEqual([false, false, false]);
    expect(sliding.add(s, 300, 300)).toEqual({ outcome: 'counted', exceeds: true, count: 4, run: { first: 0, last: 300 }, dropped: 0 });
    expect(sliding.add(s, 1250, 1250)).toMatchObject({ exceeds: false, count: 2 });
  });

  it('spans are half-open (t - X, t]: an event exactly X earlier is outside', () => {
    expect(feed(sliding, sliding.empty(), [0, 100, 200, 1000])).toEqual([false, false, false, false]);
    expect(feed(sliding, sliding.empty(), [0, 100, 200, 999])).toEqual([false, false, false, true]);
    const s = sliding.empty();
    feed(sliding, s, [0, 100, 200]);
    expect(sliding.add(s, 1000, 0)).toMatchObject({ exceeds: false, count: 3 });
    // Events at the same instant all count.
    expect(sliding.add(s, 1000, 0)).toMatchObject({ exceeds: true, count: 4, run: { first: 100, last: 1000 } });
  });

  it('catches a burst across a tumbling boundary', () => {
    expect(feed(sliding, sliding.empty(), [59_700, 59_900, 60_100, 60_300])).toEqual([false, false, false, true]);
  });

  it('out of order: a straggler older than the newest counts in the spans it falls in, including ones ending at newer events', () => {
    const s = sliding.empty();
    expect(feed(sliding, s, [0, 500, 900, 1200], 0)).toEqual([false, false, false, false]);
    // (-600, 400] holds only 0 and 400, but (200, 1200] now holds 400, 500, 900, 1200.
    expect(sliding.add(s, 400, 0)).toEqual({ outcome: 'counted', exceeds: true, count: 2, run: { first: 400, last: 1200 }, dropped: 0 });
    expect(s.times).toEqual([0, 400, 500, 900, 1200]);
  });

  it('out of order: a straggler far from the burst does not exceed', () => {
    const s = sliding.empty();
    feed(sliding, s, [3000, 3100, 3200], 2000);
    expect(sliding.add(s, 2100, 2000)).toMatchObject({ exceeds: false, count: 1 });
    expect(sliding.add(s, 2300, 2000)).toMatchObject({ exceeds: true, run: { first: 2300, last: 3200 } });
  });

  it('agrees with a brute-force count for shuffled events', () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let round = 0; round < 40; round++) {
      const counter = new SlidingCount({ threshold: 1 + (round % 4), spanMs: 500, maxEvents: 1000 });
      const s = counter.empty();
      const times = Array.from({ length: 40 }, () => Math.floor(rand() * 5000));
      const seen: number[] = [];
      for (const t of times) {
        seen.push(t);
        const r = counter.add(s, t, Number.NEGATIVE_INFINITY);
        expect(r.outcome === 'counted' && r.exceeds).toBe(bruteForce(seen, t, counter.threshold, 500));
      }
    }
  });

  it('late but after watermark - X: counted in the spans still open', () => {
    const s = sliding.empty();
    feed(sliding, s, [1000, 1300, 1550], 1500);
    expect(sliding.add(s, 600, 1500)).toMatchObject({ outcome: 'counted', exceeds: true, run: { first: 600, last: 1550 } });
  });

  it('very late: an event at or before watermark - X is reported, not stored', () => {
    const s = sliding.empty();
    feed(sliding, s, [1000, 1300, 1550], 1500);
    const before = structuredClone(s);
    expect(sliding.add(s, 500, 1500)).toEqual({ outcome: 'too-late' });
    expect(sliding.add(s, 100, 1500)).toEqual({ outcome: 'too-late' });
    expect(s).toEqual(before);
    expect(sliding.add(s, 501, 1500).outcome).toBe('counted');
  });

  it('forgets times that no open span can hold, and never moves its watermark back', () => {
    // A time exactly at watermark - X is outside every open span (s - X, s] with s ≥ watermark.
    const edge = sliding.empty();
    feed(sliding, edge, [500, 1000, 1300], 0);
    expect(sliding.add(edge, 1400, 1500)).toMatchObject({ exceeds: false, count: 3 });
    expect(edge.times).toEqual([1000, 1300, 1400]);

    const s = sliding.empty();
    feed(sliding, s, [0, 100, 200, 300, 400], 400);
    sliding.add(s, 2150, 2150);
    expect(s.times).toEqual([2150]);
    // A lower watermark later (another caller, a restore) does not let old events back in.
    expect(sliding.add(s, 1100, 500)).toEqual({ outcome: 'too-late' });
    expect(s.watermark).toBe(2150);
  });

  it('duplicate: a redelivered event id is not counted twice', () => {
    const s = sliding.empty();
    const seen = new DuplicateFilter(16);
    const verdicts: (SlidingOutcome | 'duplicate')[] = [];
    for (const [id, t] of [
      ['a', 0],
      ['b', 100],
      ['c', 200],
      ['b', 100],
      ['c', 200],
    ] as const) {
      verdicts.push(seen.check(id) === 'duplicate' ? 'duplicate' : sliding.add(s, t, t));
    }
    expect(verdicts.slice(3)).toEqual(['duplicate', 'duplicate']);
    expect(s.times).toEqual([0, 100, 200]);
    expect(sliding.add(s, 300, 300)).toMatchObject({ exceeds: true, count: 4 });
  });

  it('idle partition: once it is idle the low watermark advances and old times are forgotten; on rejoining its old events are too late', () => {
    const clock = new Watermarks({ allowedDisorderMs: 0, idleTimeoutMs: 1000 });
    const s = sliding.empty();
    const event = (partition: number, t: number, now: number): SlidingOutcome => {
      clock.observe(partition, t, now);
      return sliding.add(s, t, clock.lowWatermark(now));
    };
    event(1, 100, 0);
    for (const [t, now] of [
      [200, 100],
      [400, 200],
      [600, 300],
    ] as const) {
      event(0, t, now);
    }
    // Partition 1 holds the low watermark at 100: every time is kept.
    expect(s.times).toEqual([100, 200, 400, 600]);
    // After its idle timeout the low watermark follows partition 0.
    expect(event(0, 3000, 1001)).toMatchObject({ outcome: 'counted', exceeds: false, count: 1 });
    expect(s.times).toEqual([3000]);
    // Partition 1 rejoins: an event from before low - X can no longer be in any open span.
    expect(event(1, 1500, 1100)).toEqual({ outcome: 'too-late' });
    // A recent one still counts, in the spans it shares with partition 0's events.
    expect(event(1, 2500, 1101)).toMatchObject({ outcome: 'counted', count: 1 });
    expect(s.times).toEqual([2500, 3000]);
  });
});

describe('sliding count caps', () => {
  it('with maxEvents = N + 1, an in-order flood stays exact and reports what it forgets', () => {
    const tight = new SlidingCount({ threshold: 3, spanMs: 1000, maxEvents: 4 });
    const s = tight.empty();
    const verdicts = feed(tight, s, [0, 100, 200, 300, 400, 500, 1350, 1450]);
    expect(verdicts).toEqual([false, false, false, true, true, true, false, false]);
    expect(s.times).toEqual([400, 500, 1350, 1450]);
    expect(tight.add(s, 1460, Number.NEGATIVE_INFINITY)).toMatchObject({ exceeds: true, dropped: 1 });
    expect(s.times).toHaveLength(4);
  });

  it('defaults to 2 × (N + 1), which overflows only once a span already exceeds N', () => {
    expect(sliding.maxEvents).toBe(8);
    const s = sliding.empty();
    let sawExceed = false;
    for (let t = 0; t < 20_000; t += 90) {
      const r = sliding.add(s, t, t - 1000);
      if (r.outcome !== 'counted') throw new Error('unexpected too-late');
      sawExceed ||= r.exceeds;
      if (r.dropped > 0) expect(sawExceed).toBe(true);
      expect(s.times.length).toBeLessThanOrEqual(8);
    }
  });

  it('refuses a cap below N + 1 and nonsense settings', () => {
    expect(() => new SlidingCount({ threshold: 3, spanMs: 1000, maxEvents: 3 })).toThrow(/maxEvents/);
    expect(() => new SlidingCount({ threshold: -1, spanMs: 1000 })).toThrow(/threshold/);
    expect(() => new SlidingCount({ threshold: 3, spanMs: 0 })).toThrow(/spanMs/);
    expect(() => sliding.add(sliding.empty(), Number.NaN, 0)).toThrow(RangeError);
  });

  it('state is plain data: a structured clone gives the same verdicts', () => {
    const s = sliding.empty();
    feed(sliding, s, [100, 250, 900], 0);
    const copy = structuredClone(s);
    for (const [t, wm] of [
      [700, 200],
      [1200, 300],
      [50, 1100],
      [1800, 1500],
    ] as const) {
      expect(sliding.add(copy, t, wm)).toEqual(sliding.add(s, t, wm));
    }
    expect(copy).toEqual(s);
  });
});
