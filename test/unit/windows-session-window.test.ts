import { DEFAULT_MAX_OPEN_SESSIONS, DuplicateFilter, SessionWindows, Watermarks, type SessionAddResult, type SessionState } from '../../src/engine/windows';

/** Gap 100 ms, grace 50 ms: a session is final at watermark ≥ last event + 150. */
const sessions = new SessionWindows({ gapMs: 100, graceMs: 50 });

const open = (s: SessionState): [number, number, number][] => s.sessions.map((x) => [x.start, x.end, x.count]);
const outcome = (r: SessionAddResult): string => (r.outcome === 'applied' ? `applied(${r.merged})` : r.outcome);

describe('session windows (gap 100 ms, grace 50 ms)', () => {
  it('in order: events less than the gap apart share a session; a gap of exactly gapMs starts a new one', () => {
    const s = sessions.empty();
    expect(sessions.add(s, 0, 0)).toEqual({ outcome: 'applied', session: { start: 0, end: 0, count: 1 }, merged: 0, evicted: [] });
    expect(sessions.add(s, 50, 50)).toMatchObject({ session: { start: 0, end: 50, count: 2 }, merged: 1 });
    expect(sessions.add(s, 149, 149)).toMatchObject({ session: { start: 0, end: 149, count: 3 }, merged: 1 });
    expect(sessions.add(s, 249, 249)).toMatchObject({ session: { start: 249, end: 249, count: 1 }, merged: 0 });
    expect(open(s)).toEqual([
      [0, 149, 3],
      [249, 249, 1],
    ]);
    expect(sessions.add(s, 348, 249)).toMatchObject({ session: { start: 249, end: 348, count: 2 }, merged: 1 });
  });

  it('a session is final, and handed back, once the watermark reaches last event + gap + grace', () => {
    const s = sessions.empty();
    for (const t of [0, 60, 149]) sessions.add(s, t, t);
    expect(sessions.finalAt({ start: 0, end: 149, count: 3 })).toBe(299);
    expect(sessions.close(s, 298)).toEqual([]);
    expect(sessions.close(s, 299)).toEqual([{ start: 0, end: 149, count: 3, reason: 'final' }]);
    expect(s.sessions).toEqual([]);
    expect(sessions.close(s, 1000)).toEqual([]);
  });

  it('out of order: a straggler extends a session backwards, or opens one before it', () => {
    const s = sessions.empty();
    sessions.add(s, 500, 0);
    expect(sessions.add(s, 420, 0)).toMatchObject({ session: { start: 420, end: 500, count: 2 }, merged: 1 });
    expect(outcome(sessions.add(s, 300, 0))).toBe('applied(0)');
    // Exactly gapMs before a session's start is not closer than the gap.
    expect(outcome(sessions.add(s, 200, 0))).toBe('applied(0)');
    expect(open(s)).toEqual([
      [200, 200, 1],
      [300, 300, 1],
      [420, 500, 2],
    ]);
  });

  it('out of order: a straggler that falls within the gap of two sessions bridges them into one', () => {
    const s = sessions.empty();
    sessions.add(s, 0, 0);
    sessions.add(s, 180, 0);
    sessions.add(s, 350, 0);
    expect(open(s)).toHaveLength(3);
    expect(sessions.add(s, 90, 0)).toEqual({ outcome: 'applied', session: { start: 0, end: 180, count: 3 }, merged: 2, evicted: [] });
    expect(open(s)).toEqual([
      [0, 180, 3],
      [350, 350, 1],
    ]);
    // Bridging again, into a longer session, adds the counts.
    expect(sessions.add(s, 270, 0)).toMatchObject({ session: { start: 0, end: 350, count: 5 }, merged: 2 });
    expect(open(s)).toEqual([[0, 350, 5]]);
  });

  it('late but inside grace: joins the session and pushes its end back', () => {
    const s = sessions.empty();
    for (const t of [0, 90, 180]) sessions.add(s, t, t);
    // Watermark past end + gap (280) but not past end + gap + grace (330).
    expect(sessions.add(s, 250, 300)).toMatchObject({ outcome: 'applied', session: { start: 0, end: 250, count: 4 } });
    expect(sessions.close(s, 399)).toEqual([]);
    expect(sessions.close(s, 400)).toEqual([{ start: 0, end: 250, count: 4, reason: 'final' }]);
  });

  it('late, too old on its own, but joining a session still open: applied', () => {
    const s = sessions.empty();
    sessions.add(s, 1000, 1000);
    expect(sessions.add(s, 920, 1100)).toMatchObject({ outcome: 'applied', session: { start: 920, end: 1000, count: 2 } });
  });

  it('very late: a session final by itself, or joining a final one, is reported and not applied, before or after close()', () => {
    const s = sessions.empty();
    expect(sessions.add(s, 100, 250)).toEqual({ outcome: 'too-late' });
    expect(outcome(sessions.add(s, 101, 250))).toBe('applied(0)');
    const t = sessions.empty();
    for (const x of [0, 90, 180]) sessions.add(t, x, x);
    // Final at 330: close() has not run yet, the event is still too late.
    expect(sessions.add(t, 250, 330)).toEqual({ outcome: 'too-late' });
    expect(open(t)).toEqual([[0, 180, 3]]);
    expect(sessions.close(t, 330)).toEqual([{ start: 0, end: 180, count: 3, reason: 'final' }]);
    // After close() the answer is the same, and the session is not reopened or split.
    expect(sessions.add(t, 250, 330)).toEqual({ outcome: 'too-late' });
    expect(t.sessions).toEqual([]);
  });

  it('a closed session is not reopened under a lower watermark', () => {
    const s = sessions.empty();
    sessions.add(s, 0, 0);
    sessions.close(s, 1000);
    expect(sessions.add(s, 80, 0)).toEqual({ outcome: 'closed' });
    expect(s.sessions).toEqual([]);
    expect(outcome(sessions.add(s, 100, 0))).toBe('applied(0)');
  });

  it('duplicate: a redelivered event id does not add to the session count', () => {
    const s = sessions.empty();
    const seen = new DuplicateFilter(8);
    for (const [id, t] of [
      ['m1', 0],
      ['m2', 40],
      ['m1', 0],
      ['m3', 80],
      ['m2', 40],
    ] as const) {
      if (seen.check(id) === 'new') sessions.add(s, t, t);
    }
    expect(open(s)).toEqual([[0, 80, 3]]);
  });

  it('idle partition: sessions close on the low watermark once a silent partition times out; when all are idle the highest watermark closes the rest', () => {
    const clock = new Watermarks({ allowedDisorderMs: 0, idleTimeoutMs: 1000 });
    clock.assign(0, 0);
    clock.assign(1, 0);
    const s = sessions.empty();
    const event = (partition: number, t: number, now: number): SessionAddResult => {
      clock.observe(partition, t, now);
      return sessions.add(s, t, clock.lowWatermark(now));
    };
    event(1, 10, 0);
    event(0, 0, 0);
    event(0, 60, 100);
    event(0, 400, 800);
    expect(open(s)).toEqual([
      [0, 60, 3],
      [400, 400, 1],
    ]);
    expect(sessions.close(s, clock.lowWatermark(1000))).toEqual([]);
    expect(clock.lowWatermark(1001)).toBe(400);
    expect(sessions.close(s, clock.lowWatermark(1001))).toEqual([{ start: 0, end: 60, count: 3, reason: 'final' }]);
    // Partition 1 rejoins: an old record is too late; a recent one joins the open session.
    expect(event(1, 120, 1100)).toEqual({ outcome: 'too-late' });
    expect(event(1, 450, 1101)).toMatchObject({ outcome: 'applied', session: { start: 400, end: 450, count: 2 } });
    // Other keys move partition 0 to 900 and partition 1 to 460, then both go quiet.
    clock.observe(0, 900, 1150);
    clock.observe(1, 460, 1500);
    expect(clock.lowWatermark(2151)).toBe(460);
    expect(sessions.close(s, clock.lowWatermark(2151))).toEqual([]);
    expect(clock.lowWatermark(2501)).toBe(900);
    expect(sessions.close(s, clock.lowWatermark(2501))).toEqual([{ start: 400, end: 450, count: 2, reason: 'final' }]);
  });
});

describe('session window caps and state', () => {
  it('closes the oldest session early past the cap, and reports events that would have joined it', () => {
    const small = new SessionWindows({ gapMs: 100, graceMs: 50, maxOpenSessions: 2 });
    const s = small.empty();
    small.add(s, 0, Number.NEGATIVE_INFINITY);
    small.add(s, 1000, Number.NEGATIVE_INFINITY);
    const r = small.add(s, 2000, Number.NEGATIVE_INFINITY);
    expect(r).toMatchObject({ outcome: 'applied', evicted: [{ start: 0, end: 0, count: 1, reason: 'capacity' }] });
    expect(open(s)).toEqual([
      [1000, 1000, 1],
      [2000, 2000, 1],
    ]);
    expect(small.add(s, 50, Number.NEGATIVE_INFINITY)).toEqual({ outcome: 'closed' });
    expect(outcome(small.add(s, 950, Number.NEGATIVE_INFINITY))).toBe('applied(1)');
    expect(open(s)).toEqual([
      [950, 1000, 2],
      [2000, 2000, 1],
    ]);
  });

  it('holds at most the cap through scattered events', () => {
    const small = new SessionWindows({ gapMs: 10, graceMs: 0, maxOpenSessions: 4 });
    const s = small.empty();
    let evicted = 0;
    for (let i = 0; i < 1000; i++) {
      const r = small.add(s, i * 100, Number.NEGATIVE_INFINITY);
      if (r.outcome === 'applied') evicted += r.evicted.length;
      expect(s.sessions.length).toBeLessThanOrEqual(4);
    }
    expect(evicted).toBe(996);
  });

  it('labels an evicted session final when its gap and grace had passed anyway', () => {
    const one = new SessionWindows({ gapMs: 100, graceMs: 50, maxOpenSessions: 1 });
    const s = one.empty();
    one.add(s, 0, 0);
    expect(one.add(s, 1000, 200)).toMatchObject({ evicted: [{ start: 0, end: 0, count: 1, reason: 'final' }] });
  });

  it('has a default cap and refuses nonsense settings', () => {
    expect(sessions.maxOpenSessions).toBe(DEFAULT_MAX_OPEN_SESSIONS);
    expect(() => new SessionWindows({ gapMs: 0, graceMs: 0 })).toThrow(/gapMs/);
    expect(() => new SessionWindows({ gapMs: 10, graceMs: -1 })).toThrow(/graceMs/);
    expect(() => new SessionWindows({ gapMs: 10, graceMs: 0, maxOpenSessions: 0 })).toThrow(/maxOpenSessions/);
    expect(() => sessions.add(sessions.empty(), Number.POSITIVE_INFINITY, 0)).toThrow(RangeError);
  });

  it('hands back copies: changing a result does not change the state', () => {
    const s = sessions.empty();
    const r = sessions.add(s, 0, 0);
    if (r.outcome !== 'applied') throw new Error('expected applied');
    r.session.count = 99;
    expect(open(s)).toEqual([[0, 0, 1]]);
  });

  it('is plain data: a structured clone carries on exactly like the original', () => {
    const s = sessions.empty();
    for (const t of [0, 80, 300]) sessions.add(s, t, t - 100);
    sessions.close(s, 300);
    const copy = structuredClone(s);
    for (const [t, wm] of [
      [350, 300],
      [200, 320],
      [120, 320],
      [900, 800],
    ] as const) {
      expect(sessions.add(copy, t, wm)).toEqual(sessions.add(s, t, wm));
    }
    expect(sessions.close(copy, 5000)).toEqual(sessions.close(s, 5000));
    expect(copy).toEqual(s);
  });
});
