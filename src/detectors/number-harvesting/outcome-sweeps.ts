import type { CallEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { connectedMs, wasUnanswered } from './call-outcome';
import { evidenceSince, pushEvidence } from './evidence';
import { harvestingFinding, roundShare } from './finding';
import { addOutcome, distinctCallees, endedCalls, matchedShare } from './outcome-window';
import { DISTINCT_CALLEE_CAP, param, type NumberHarvestingRule } from './rules';
import { headAt, intAt, setInt, SHORT, UNANSWERED, type NumberHarvestingState, type Sweep } from './state';
import { NO_FINDINGS } from '../finding';

/**
 * The two rules over how calls ended. Both need many distinct callees AND a
 * high share: a heavy caller or a call centre reaches many numbers too, but
 * most of its calls connect and last; a harvester's mostly do not.
 * - unanswered_sweep (per hour): calls that ended unanswered or invalid.
 * - short_call_sweep (per day): calls connected for less than maxConnectedMs,
 *   which adds the probe that hangs up the moment someone answers.
 * A sweep's part of the row (state.ts) is taken up by the first ended call
 * it counts (an account whose calls never end, or with the rule off, writes
 * null for it), and its evidence by the first call that matches.
 */
interface SweepSpec {
  rule: NumberHarvestingRule;
  /** Whether the ended call is the kind the rule counts; undefined when the event cannot tell. */
  matches: boolean | undefined;
  minShare: number;
  calleesMetric: string;
  shareMetric: string;
}

function sweep(st: NumberHarvestingState, part: Sweep, spec: SweepSpec, event: CallEvent, callee: number, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(spec.rule);
  if (!config || spec.matches === undefined) return NO_FINDINGS;
  if (addOutcome(st, part, event.eventTime, config.windowMs, spec.matches, callee, DISTINCT_CALLEE_CAP) === 'late') {
    ctx.late(spec.rule);
    return NO_FINDINGS;
  }
  if (spec.matches) pushEvidence(st, part, event.eventId, event.eventTime);
  const share = matchedShare(st, part);
  const callees = distinctCallees(st, part);
  if (intAt(st, part.fired) !== 0 || callees <= config.threshold || share < spec.minShare) return NO_FINDINGS;
  setInt(st, part.fired, 1);
  const start = headAt(st, part.window);
  return [
    harvestingFinding(
      event,
      spec.rule,
      config,
      start,
      { [spec.calleesMetric]: callees, endedCalls: endedCalls(st, part), [spec.shareMetric]: roundShare(share) },
      { [spec.calleesMetric]: config.threshold, [spec.shareMetric]: spec.minShare },
      evidenceSince(st, part, start),
    ),
  ];
}

export function onCallEnd(state: NumberHarvestingState, event: CallEvent, callee: number, ctx: DetectorContext): readonly Finding[] {
  const findings: Finding[] = [];
  const unanswered = ctx.rule('unanswered_sweep');
  if (unanswered) {
    const spec = {
      rule: 'unanswered_sweep',
      matches: wasUnanswered(event),
      minShare: param(unanswered, 'unanswered_sweep', 'minUnansweredShare'),
      calleesMetric: 'unansweredCallees',
      shareMetric: 'unansweredShare',
    } as const;
    findings.push(...sweep(state, UNANSWERED, spec, event, callee, ctx));
  }
  const short = ctx.rule('short_call_sweep');
  if (short) {
    const connected = connectedMs(event);
    const spec = {
      rule: 'short_call_sweep',
      matches: connected === undefined ? undefined : connected < param(short, 'short_call_sweep', 'maxConnectedMs'),
      minShare: param(short, 'short_call_sweep', 'minShortShare'),
      calleesMetric: 'shortCallees',
      shareMetric: 'shortShare',
    } as const;
    findings.push(...sweep(state, SHORT, spec, event, callee, ctx));
  }
  return findings;
}
