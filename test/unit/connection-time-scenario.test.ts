import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { connectionTime } from '../../src/detectors/connection-time';
import { CONNECTION_TIME_RULES } from '../../src/detectors/connection-time/rules';
import { DAY } from '../../src/detectors/connection-time/rules';
import type { Violation } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { HOUR, T0 } from '../helpers/events';
import { scenario } from '../scenarios/connection-time';

/**
 * The category's scenario through its own detector, at several t0 (day
 * windows are aligned to the epoch, so where midnight falls must not matter):
 * every abusive persona flagged, no legitimate one.
 */
function replay(t0: number): Violation[] {
  const pipeline = buildPipeline(compilePolicy(undefined, CONNECTION_TIME_RULES), DEFAULT_PIPELINE_SETTINGS, undefined, [connectionTime]);
  const events = scenario.personas(t0).flatMap((p) => p.events).sort((a, b) => a.eventTime - b.eventTime);
  return events.flatMap((e) => pipeline.process(e, 0));
}

describe('EXCESSIVE_CONNECTION_TIME scenario', () => {
  const t0s = [T0, T0 - (T0 % DAY), T0 - (T0 % DAY) + 18 * HOUR];

  it.each(t0s)('flags every abusive persona and no legitimate one (t0 %p)', (t0) => {
    const personas = scenario.personas(t0);
    const rulesOf = (account: string): string[] => [...new Set(replay(t0).filter((v) => v.accountId === account).map((v) => v.rule))].sort();
    const flagged = Object.fromEntries(personas.map((p) => [p.accountId, rulesOf(p.accountId)]));
    expect(flagged).toEqual({
      'connection-time-open-line': ['long_call'],
      'connection-time-call-bank': expect.arrayContaining(['concurrent_calls']),
      'connection-time-relay': ['daily_connected_time'],
      'connection-time-family': [],
      'connection-time-heavy-caller': [],
      'connection-time-call-waiting': [],
      'connection-time-chatty': [],
    });
  });

  it('keeps every event within one day after t0, under the category prefix', () => {
    for (const p of scenario.personas(T0)) {
      expect(p.accountId.startsWith('connection-time-')).toBe(true);
      for (const e of p.events) {
        expect(e.accountId).toBe(p.accountId);
        expect(e.eventTime - T0).toBeGreaterThanOrEqual(0);
        expect(e.eventTime - T0).toBeLessThan(DAY);
      }
    }
  });
});
