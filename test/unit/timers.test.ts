import { buildPipeline } from '../../src/app/build-pipeline';
import type { Detector } from '../../src/detectors/types';
import { NOT_DROPPED, TimerQueue } from '../../src/engine/timer-queue';
import type { TelemetryEvent } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { callEvent, MINUTE, T0 } from '../helpers/events';

/** A toy detector: a call still open ten minutes after it started is a finding. */
const openCalls: Detector<{ open: Set<string> }> = {
  name: 'open_calls',
  eventTypes: ['call'],
  defaults: { call_open_too_long: { mode: 'enforce', threshold: 0, windowMs: 10 * MINUTE, severity: 'low', action: 'warn' } },
  keyOf: (e) => e.accountId,
  stateTtlMs: () => 60 * MINUTE,
  createState: () => ({ open: new Set() }),
  onEvent(state, event, ctx) {
    if (event.type !== 'call') return [];
    if (event.phase === 'start') {
      state.open.add(event.callId);
      ctx.schedule(event.eventTime + 10 * MINUTE);
    }
    if (event.phase === 'end') state.open.delete(event.callId);
    return [];
  },
  onTimer(state, key, at, ctx) {
    const rule = ctx.rule('call_open_too_long');
    if (!rule || state.open.size === 0) return [];
    return [{ accountId: key, category: 'EXCESSIVE_CONNECTION_TIME', rule: 'call_open_too_long', severity: rule.severity, action: rule.action, windowStart: at - rule.windowMs, windowEnd: at, detectedAt: ctx.watermark, metrics: { open: state.open.size }, thresholds: {}, evidence: [] }];
  },
};

function run(events: TelemetryEvent[], disorderMs = 0) {
  const pipeline = buildPipeline(compilePolicy(undefined, openCalls.defaults), { maxKeysPerDetector: 100, allowedDisorderMs: disorderMs }, undefined, [openCalls]);
  return events.flatMap((e) => pipeline.process(e, 0));
}

describe('event-time timers', () => {
  it('fire when the watermark passes them, not before', () => {
    const start = callEvent('a', T0, { callId: 'c1' });
    expect(run([start, callEvent('other', T0 + 9 * MINUTE)])).toEqual([]);
    const fired = run([start, callEvent('other', T0 + 10 * MINUTE)]);
    expect(fired.map((v) => [v.accountId, v.metrics])).toEqual([['a', { open: 1 }]]);
  });

  it('see the state as it is when they fire: an ended call is no finding', () => {
    const events = [callEvent('a', T0, { callId: 'c1' }), callEvent('a', T0 + MINUTE, { callId: 'c1', phase: 'end' }), callEvent('other', T0 + 20 * MINUTE)];
    expect(run(events)).toEqual([]);
  });

  it('wait for the allowed disorder before firing', () => {
    const events = [callEvent('a', T0, { callId: 'c1' }), callEvent('other', T0 + 10 * MINUTE)];
    expect(run(events, MINUTE)).toEqual([]);
    expect(run([...events, callEvent('other', T0 + 11 * MINUTE)], MINUTE)).toHaveLength(1);
  });

  it('queue earliest first and drop the earliest past the cap', () => {
    const q = new TimerQueue(3);
    const dropped = [50, 10, 40, 30].map((at) => q.push(at, at / 10, String(at), ''));
    // The fourth push drops the earliest (10, detector 1) and says whose it was.
    expect(dropped).toEqual([NOT_DROPPED, NOT_DROPPED, NOT_DROPPED, 1]);
    expect(q.size).toBe(3);
    expect(q.popDue(100).map((t) => t.at)).toEqual([30, 40, 50]);
  });

  it('keep every timer with its detector, key and account through growth, drops and pops (model test)', () => {
    // Park-Miller (exact in doubles), so the run is the same every time; many equal times, so ties are exercised too.
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    let pops = 0;
    let drops = 0;
    const cap = 50;
    const q = new TimerQueue(cap, 2);
    const live: { at: number; detector: number; key: string; accountId: string }[] = [];
    let watermark = 0;
    for (let step = 0; step < 5000; step++) {
      if (next(4) > 0) {
        const timer = { at: watermark + next(200), detector: step, key: `k${step}`, accountId: `a${step % 7}` };
        live.push(timer);
        const dropped = q.push(timer.at, timer.detector, timer.key, timer.accountId);
        if (live.length > cap) {
          // The earliest goes (any of equal times), named by its detector index: here unique per timer.
          const gone = live.findIndex((t) => t.detector === dropped);
          expect(live[gone]?.at).toBe(Math.min(...live.map((t) => t.at)));
          live.splice(gone, 1);
          drops++;
        } else {
          expect(dropped).toBe(NOT_DROPPED);
        }
      } else {
        watermark += next(10);
        const due = q.popDue(watermark);
        const ats = due.map((t) => t.at);
        expect(ats).toEqual([...ats].sort((a, b) => a - b));
        for (const t of due) {
          const i = live.findIndex((l) => l.key === t.key);
          expect(live[i]).toEqual(t);
          live.splice(i, 1);
          pops++;
        }
        expect(live.every((t) => t.at > watermark)).toBe(true);
      }
      expect(q.size).toBe(live.length);
      expect(q.nextAt).toBe(live.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...live.map((t) => t.at)));
    }
    // The run went through both ways out, many times each.
    expect(pops).toBeGreaterThan(300);
    expect(drops).toBeGreaterThan(300);
  });
});
