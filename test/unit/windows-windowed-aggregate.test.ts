import {
  DEFAULT_MAX_OPEN_WINDOWS,
  DuplicateFilter,
  hopping,
  tumbling,
  Watermarks,
  WindowedAggregate,
  type AddResult,
  type WindowAssigner,
  type WindowedAggregateState,
} from '../../src/engine/windows';

/** A count per window: the aggregate most detectors need. */
function counter(assigner: WindowAssigner, graceMs: number, maxOpenWindows?: number): WindowedAggregate<number, unknown> {
  return new WindowedAggregate<number, unknown>({ assigner, graceMs, maxOpenWindows, create: () => 0, add: (n) => n + 1 });
}

/** `start:outcome` per window, e.g. ['0:applied', '500:too-late']. */
const outcomes = (r: AddResult<number>): string[] => r.windows.map((w) => `${w.start}:${w.outcome}`);
/** The open windows as [start, end, count]. */
const open = (s: WindowedAggregateState<number>): [number, number, number][] => s.windows.map((w) => [w.start, w.end, w.aggregate]);

describe('tumbling windowed aggregate (size 1000 ms, grace 200 ms)', () => {
  const agg = counter(tumbling(1000), 200);

  it('in order: counts per window and closes a window once the watermark reaches end + grace', () => {
    const s = agg.empty();
    expect(agg.add(s, 100, null, 100).windows).toEqual([{ start: 0, end: 1000, outcome: 'applied', aggregate: 1 }]);
    expect(agg.add(s, 999, null, 999).windows).toEqual([{ start: 0, end: 1000, outcome: 'applied', aggregate: 2 }]);
    expect(agg.add(s, 1000, null, 1000).windows).toEqual([{ start: 1000, end: 2000, outcome: 'applied', aggregate: 1 }]);
    expect(open(s)).toEqual([
      [0, 1000, 2],
      [1000, 2000, 1],
    ]);
    expect(agg.close(s, 1000)).toEqual([]);
    expect(agg.close(s, 1199)).toEqual([]);
    expect(agg.close(s, 1200)).toEqual([{ start: 0, end: 1000, aggregate: 2, reason: 'final' }]);
    expect(open(s)).toEqual([[1000, 2000, 1]]);
    expect(agg.close(s, 1200)).toEqual([]);
  });

  it('out of order within the allowed disorder: each event lands in its own window', () => {
    const s = agg.empty();
    const disorder = 500;
    for (const t of [1200, 800, 1500, 999, 1001]) expect(agg.add(s, t, null, 1500 - disorder).applied).toBe(1);
    expect(open(s)).toEqual([
      [0, 1000, 2],
      [1000, 2000, 3],
    ]);
  });

  it('late but inside the grace period: applied, and counted in the final result', () => {
    const s = agg.empty();
    agg.add(s, 500, null, 500);
    const late = agg.add(s, 999, null, 1150);
    expect(late).toMatchObject({ applied: 1, rejected: 0 });
    expect(late.windows).toEqual([{ start: 0, end: 1000, outcome: 'applied', aggregate: 2 }]);
    expect(agg.close(s, 1199)).toEqual([]);
    expect(agg.close(s, 1200)).toEqual([{ start: 0, end: 1000, aggregate: 2, reason: 'final' }]);
  });

  it('very late (end + grace ≤ watermark): reported as too-late, not applied, even before close() ran', () => {
    const s = agg.empty();
    agg.add(s, 500, null, 500);
    expect(agg.add(s, 999, null, 1199).applied).toBe(1);
    const tooLate = agg.add(s, 999, null, 1200);
    expect(tooLate).toEqual({ windows: [{ start: 0, end: 1000, outcome: 'too-late' }], applied: 0, rejected: 1, evicted: [] });
    expect(open(s)).toEqual([[0, 1000, 2]]);
    expect(agg.close(s, 1200)).toEqual([{ start: 0, end: 1000, aggregate: 2, reason: 'final' }]);
    expect(outcomes(agg.add(s, 10, null, 5000))).toEqual(['0:too-late']);
    expect(s.windows).toEqual([]);
  });

  it('never reopens a closed window, even under a lower watermark', () => {
    const s = agg.empty();
    agg.add(s, 500, null, 500);
    expect(agg.close(s, 1200)).toHaveLength(1);
    expect(outcomes(agg.add(s, 400, null, 900))).toEqual(['0:closed']);
    expect(s.windows).toEqual([]);
    expect(outcomes(agg.add(s, 1400, null, 900))).toEqual(['1000:applied']);
  });

  it('duplicate: a redelivered event id passes the duplicate filter once and is counted once', () => {
    const s = agg.empty();
    const seen = new DuplicateFilter(100);
    const ingest = (id: string, t: number, wm: number): AddResult<number> | 'duplicate' => (seen.check(id) === 'duplicate' ? 'duplicate' : agg.add(s, t, null, wm));
    expect(ingest('e1', 100, 100)).not.toBe('duplicate');
    expect(ingest('e2', 200, 200)).not.toBe('duplicate');
    // At-least-once redelivery after a restart: the same records come again.
    expect(ingest('e1', 100, 200)).toBe('duplicate');
    expect(ingest('e2', 200, 200)).toBe('duplicate');
    expect(ingest('e3', 300, 300)).not.toBe('duplicate');
    expect(agg.close(s, 1200)).toEqual([{ start: 0, end: 1000, aggregate: 3, reason: 'final' }]);
  });

  it('idle partition: a silent partition holds the low watermark back until its idle timeout, then rejoins', () => {
    const clock = new Watermarks({ allowedDisorderMs: 0, idleTimeoutMs: 5000 });
    clock.assign(0, 0);
    clock.assign(1, 0);
    const s = agg.empty();
    const event = (partition: number, t: number, now: number): AddResult<number> => {
      clock.observe(partition, t, now);
      return agg.add(s, t, null, clock.lowWatermark(now));
    };
    event(1, 50, 0);
    event(0, 100, 1000);
    event(0, 1500, 2000);
    event(0, 2500, 3000);
    // Partition 1 is quiet but not yet idle: windows cannot close.
    expect(agg.close(s, clock.lowWatermark(5000))).toEqual([]);
    // More than 5 s of processing time without events: it no longer holds the others back.
    expect(clock.lowWatermark(5001)).toBe(2500);
    expect(agg.close(s, clock.lowWatermark(5001))).toEqual([
      { start: 0, end: 1000, aggregate: 2, reason: 'final' },
      { start: 1000, end: 2000, aggregate: 1, reason: 'final' },
    ]);
    // It rejoins with an old record: late against the low watermark, reported, not counted.
    expect(outcomes(event(1, 600, 6000))).toEqual(['0:too-late']);
    // And holds the low watermark again (without moving it back).
    expect(outcomes(event(1, 2600, 6001))).toEqual(['2000:applied']);
    clock.observe(0, 3500, 6002);
    expect(clock.lowWatermark(6002)).toBe(2600);
    expect(open(s)).toEqual([[2000, 3000, 2]]);
  });
});

describe('hopping windowed aggregate (size 1000 ms, advance 500 ms, grace 100 ms)', () => {
  const agg = counter(hopping(1000, 500), 100);

  it('in order: an event counts in every window it belongs to; windows close oldest first', () => {
    const s = agg.empty();
    expect(outcomes(agg.add(s, 700, null, 700))).toEqual(['0:applied', '500:applied']);
    expect(agg.add(s, 1200, null, 1200).windows).toEqual([
      { start: 500, end: 1500, outcome: 'applied', aggregate: 2 },
      { start: 1000, end: 2000, outcome: 'applied', aggregate: 1 },
    ]);
    expect(agg.close(s, 1099)).toEqual([]);
    expect(agg.close(s, 1100)).toEqual([{ start: 0, end: 1000, aggregate: 1, reason: 'final' }]);
    expect(agg.close(s, 2100)).toEqual([
      { start: 500, end: 1500, aggregate: 2, reason: 'final' },
      { start: 1000, end: 2000, aggregate: 1, reason: 'final' },
    ]);
  });

  it('out of order: an older event opens older windows in order and joins the shared ones', () => {
    const s = agg.empty();
    agg.add(s, 1200, null, 700);
    expect(outcomes(agg.add(s, 700, null, 700))).toEqual(['0:applied', '500:applied']);
    expect(open(s)).toEqual([
      [0, 1000, 1],
      [500, 1500, 2],
      [1000, 2000, 1],
    ]);
  });

  it('late: applied to the windows still in grace, reported for the ones already past it', () => {
    const s = agg.empty();
    agg.add(s, 700, null, 700);
    const inGrace = agg.add(s, 999, null, 1050);
    expect(outcomes(inGrace)).toEqual(['0:applied', '500:applied']);
    const partly = agg.add(s, 800, null, 1100);
    expect(partly).toMatchObject({ applied: 1, rejected: 1 });
    expect(partly.windows).toEqual([
      { start: 0, end: 1000, outcome: 'too-late' },
      { start: 500, end: 1500, outcome: 'applied', aggregate: 3 },
    ]);
    expect(open(s)).toEqual([
      [0, 1000, 2],
      [500, 1500, 3],
    ]);
  });

  it('very late: too late for every window, nothing applied', () => {
    const s = agg.empty();
    agg.add(s, 700, null, 700);
    const r = agg.add(s, 900, null, 1600);
    expect(r).toMatchObject({ applied: 0, rejected: 2 });
    expect(outcomes(r)).toEqual(['0:too-late', '500:too-late']);
    expect(open(s)).toEqual([
      [0, 1000, 1],
      [500, 1500, 1],
    ]);
  });

  it('duplicate: a redelivered id adds to none of its windows', () => {
    const s = agg.empty();
    const seen = new DuplicateFilter(10);
    for (const [id, t] of [
      ['a', 700],
      ['b', 800],
      ['a', 700],
    ] as const) {
      if (seen.check(id) === 'new') agg.add(s, t, null, t);
    }
    expect(open(s)).toEqual([
      [0, 1000, 2],
      [500, 1500, 2],
    ]);
  });

  it('idle partition: windows close on the other partitions’ time once it is idle', () => {
    const clock = new Watermarks({ allowedDisorderMs: 100, idleTimeoutMs: 1000 });
    const s = agg.empty();
    clock.observe(0, 700, 0);
    clock.observe(1, 100, 0);
    agg.add(s, 700, null, clock.lowWatermark(0));
    clock.observe(0, 1300, 900);
    agg.add(s, 1300, null, clock.lowWatermark(900));
    expect(clock.lowWatermark(1000)).toBe(0);
    expect(agg.close(s, clock.lowWatermark(1000))).toEqual([]);
    expect(clock.lowWatermark(1001)).toBe(1200);
    expect(agg.close(s, clock.lowWatermark(1001))).toEqual([{ start: 0, end: 1000, aggregate: 1, reason: 'final' }]);
    clock.observe(1, 900, 1100);
    expect(outcomes(agg.add(s, 900, null, clock.lowWatermark(1100)))).toEqual(['0:too-late', '500:applied']);
  });
});

describe('windowed aggregate caps', () => {
  it('closes the oldest window early past the cap, reports it, and reports later events for it', () => {
    const agg = counter(tumbling(1000), 0, 3);
    const s = agg.empty();
    for (const t of [100, 1100, 2100]) expect(agg.add(s, t, null, 0).evicted).toEqual([]);
    const r = agg.add(s, 3100, null, 0);
    expect(r.evicted).toEqual([{ start: 0, end: 1000, aggregate: 1, reason: 'capacity' }]);
    expect(open(s).map(([start]) => start)).toEqual([1000, 2000, 3000]);
    expect(outcomes(agg.add(s, 500, null, 0))).toEqual(['0:closed']);
    expect(open(s).map(([start]) => start)).toEqual([1000, 2000, 3000]);
  });

  it('an out-of-order event for a window older than every open one is applied, then closed at once', () => {
    const agg = counter(tumbling(1000), 0, 2);
    const s = agg.empty();
    agg.add(s, 5100, null, 0);
    agg.add(s, 6100, null, 0);
    const r = agg.add(s, 100, null, 0);
    expect(outcomes(r)).toEqual(['0:applied']);
    expect(r.evicted).toEqual([{ start: 0, end: 1000, aggregate: 1, reason: 'capacity' }]);
    expect(open(s).map(([start]) => start)).toEqual([5000, 6000]);
  });

  it('labels an evicted window final when its grace had passed anyway', () => {
    const agg = counter(tumbling(1000), 200, 1);
    const s = agg.empty();
    agg.add(s, 100, null, 100);
    expect(agg.add(s, 2000, null, 1500).evicted).toEqual([{ start: 0, end: 1000, aggregate: 1, reason: 'final' }]);
  });

  it('holds at most the cap through a flood spread over many windows', () => {
    const agg = counter(hopping(1000, 100), 0, 20);
    const s = agg.empty();
    let evicted = 0;
    for (let t = 0; t < 50_000; t += 7) {
      evicted += agg.add(s, t, null, Number.NEGATIVE_INFINITY).evicted.length;
      expect(s.windows.length).toBeLessThanOrEqual(20);
    }
    const opened = Math.floor(49_999 / 100) + 10;
    expect(evicted + s.windows.length).toBe(opened);
  });

  it('defaults to DEFAULT_MAX_OPEN_WINDOWS and refuses a cap below the windows one event falls in', () => {
    expect(counter(tumbling(1000), 0).maxOpenWindows).toBe(DEFAULT_MAX_OPEN_WINDOWS);
    expect(() => counter(hopping(1000, 250), 0, 3)).toThrow(/maxOpenWindows/);
    expect(counter(hopping(1000, 250), 0, 4).maxOpenWindows).toBe(4);
    expect(() => counter(tumbling(1000), -1)).toThrow(/graceMs/);
  });
});

describe('windowed aggregate state', () => {
  it('is generic in the aggregate: a sum and a distinct set', () => {
    const sum = new WindowedAggregate<number, number>({ assigner: tumbling(1000), graceMs: 0, create: () => 0, add: (a, v) => a + v });
    const s = sum.empty();
    sum.add(s, 1, 5, 0);
    sum.add(s, 2, 7, 0);
    expect(sum.close(s, 1000)).toEqual([{ start: 0, end: 1000, aggregate: 12, reason: 'final' }]);

    const distinct = new WindowedAggregate<string[], string>({
      assigner: hopping(1000, 500),
      graceMs: 0,
      create: () => [],
      add: (set, v) => (set.includes(v) ? set : [...set, v]),
    });
    const d = distinct.empty();
    for (const [t, v] of [
      [600, 'x'],
      [700, 'y'],
      [800, 'x'],
    ] as const) {
      distinct.add(d, t, v, 0);
    }
    expect(d.windows.map((w) => w.aggregate)).toEqual([
      ['x', 'y'],
      ['x', 'y'],
    ]);
  });

  it('after a policy reload changes the size, old windows run out and close next to the new ones', () => {
    const before = counter(tumbling(1000), 100);
    const after = counter(tumbling(500), 100);
    const s = before.empty();
    before.add(s, 100, null, 100);
    before.add(s, 600, null, 600);
    expect(outcomes(after.add(s, 700, null, 700))).toEqual(['500:applied']);
    expect(outcomes(after.add(s, 1200, null, 1200))).toEqual(['1000:applied']);
    expect(open(s)).toEqual([
      [0, 1000, 2],
      [500, 1000, 1],
      [1000, 1500, 1],
    ]);
    expect(after.close(s, 1100)).toEqual([
      { start: 0, end: 1000, aggregate: 2, reason: 'final' },
      { start: 500, end: 1000, aggregate: 1, reason: 'final' },
    ]);
  });

  it('is plain data: a structured clone carries on exactly like the original', () => {
    const agg = counter(hopping(1000, 500), 100, 8);
    const original = agg.empty();
    for (const t of [100, 700, 1300]) agg.add(original, t, null, t - 200);
    agg.close(original, 1100);
    const copy = structuredClone(original);
    for (const [t, wm] of [
      [400, 1100],
      [1900, 1700],
      [1000, 2000],
      [5000, 4000],
    ] as const) {
      expect(agg.add(copy, t, null, wm)).toEqual(agg.add(original, t, null, wm));
    }
    expect(agg.close(copy, 9000)).toEqual(agg.close(original, 9000));
    expect(copy).toEqual(original);
  });
});
