import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../../src/app/build-pipeline';
import { defaultRules } from '../../src/detectors';
import { bulkMessaging } from '../../src/detectors/bulk-messaging';
import { hash32 } from '../../src/detectors/bulk-messaging/hash32';
import type { Finding } from '../../src/detectors/types';
import { NOOP_OBSERVER } from '../../src/engine/pipeline';
import { windowStart } from '../../src/engine/window';
import type { MessageEvent } from '../../src/events/types';
import { compilePolicy } from '../../src/policy/compile';
import { Random } from '../../src/simulate/random';
import { messageEvent, MINUTE, T0 } from '../helpers/events';

/**
 * new_recipient_fanout keeps event ids only near its limit. Its evidence must
 * still be what a sample of the last ten new recipients, kept always, gives:
 * those of the finding's window, in arrival order.
 */
const CAPACITY = 10;
const WINDOW = 30 * MINUTE;
const THRESHOLD = 20;
const POLICY = { rules: { new_recipient_fanout: { threshold: THRESHOLD, windowMs: WINDOW } } };

/** Three accounts messaging from a pool of 500 numbers (under the 512 remembered), with lulls, and stragglers up to three minutes late. */
function traffic(seed: number): MessageEvent[] {
  const rnd = new Random(seed);
  const out: MessageEvent[] = [];
  let t = T0;
  for (let i = 0; i < 1_500; i++) {
    t += rnd.next() < 0.02 ? rnd.int(0, 40 * MINUTE) : rnd.int(0, 1_500);
    const at = rnd.next() < 0.05 ? t - rnd.int(0, 3 * MINUTE) : t;
    const to = `+1212555${String(rnd.int(0, 500)).padStart(4, '0')}`;
    out.push(messageEvent(`acct-${rnd.int(0, 3)}`, at, { to, eventId: `e${i}`, contentHash: `c${i}` }));
  }
  return out;
}

/** The rule as it reads, keeping every counted event: a new recipient is remembered even when late, and only counted in the current window. */
interface Reference {
  contacted: Set<number>;
  start: number;
  counted: MessageEvent[];
}

describe('new_recipient_fanout evidence, kept only near its limit', () => {
  it.each([1, 2, 3])('is what an always-kept sample of the last ten new recipients gives (seed %i)', (seed) => {
    const findings: Finding[] = [];
    const pipeline = buildPipeline(compilePolicy(POLICY, defaultRules()), DEFAULT_PIPELINE_SETTINGS, { ...NOOP_OBSERVER, finding: (f) => findings.push(f) }, [bulkMessaging]);
    const reference = new Map<string, Reference>();
    let checked = 0;
    for (const event of traffic(seed)) {
      const ref = reference.get(event.accountId) ?? { contacted: new Set<number>(), start: Number.NEGATIVE_INFINITY, counted: [] };
      reference.set(event.accountId, ref);
      const recipient = hash32(event.to);
      if (!ref.contacted.has(recipient)) {
        ref.contacted.add(recipient);
        const start = windowStart(event.eventTime, WINDOW);
        if (start >= ref.start) {
          ref.start = start;
          ref.counted.push(event);
        }
      }
      const before = findings.length;
      pipeline.process(event, 0);
      for (const f of findings.slice(before).filter((x) => x.rule === 'new_recipient_fanout')) {
        const expected = ref.counted
          .slice(-CAPACITY)
          .filter((e) => e.eventTime >= f.windowStart)
          .map((e) => e.eventId);
        expect(f.evidence).toEqual(expected);
        checked++;
      }
    }
    // Findings in many windows, of every account.
    expect(checked).toBeGreaterThan(10);
  });
});
