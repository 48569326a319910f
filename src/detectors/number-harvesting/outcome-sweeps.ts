import type { CallEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { connectedMs, wasUnanswered } from './call-outcome';
import { pushTimed, timedSince, type TimedEvidence } from '../../engine/compact-evidence';
import { harvestingFinding, roundShare } from './finding';
import { addOutcome, distinctCallees, matchedShare, newOutcomeWindow, type OutcomeWindow } from './outcome-window';
import { DISTINCT_CALLEE_CAP, EVIDENCE_SAMPLE, param, type NumberHarvestingRule } from './rules';
import { NO_FINDINGS } from '../finding';

/**
 * The two rules over how calls ended. Both need many distinct callees AND a
 * high share: a heavy caller or a call centre reaches many numbers too, but
 * most of its calls connect and last; a harvester's mostly do not.
 * - unanswered_sweep (per hour): calls that ended unanswered or invalid.
 * - short_call_sweep (per day): calls connected for less than maxConnectedMs,
 *   which adds the probe that hangs up the moment someone answers.
 * A sweep's state is created by the first ended call it counts (an account
 * whose calls never end, or with the rule off, holds none), and its evidence
 * by the first call that matches: one object per sweep, the window's fields
 * and the evidence side by side.
 */
export interface SweepState extends OutcomeWindow {
  evidence: TimedEvidence | undefined;
}

export interface OutcomeSweepsState {
  unanswered: SweepState | undefined;
  short: SweepState | undefined;
}

export function newSweepState(): SweepState {
  const w = newOutcomeWindow();
  return { windowStart: w.windowStart, ended: w.ended, matched: w.matched, callees: w.callees, fired: w.fired, evidence: undefined };
}

interface SweepSpec {
  rule: NumberHarvestingRule;
  /** Whether the ended call is the kind the rule counts; undefined when the event cannot tell. */
  matches: boolean | undefined;
  minShare: number;
  calleesMetric: string;
  shareMetric: string;
}

function sweep(state: OutcomeSweepsState, kind: keyof OutcomeSweepsState, spec: SweepSpec, event: CallEvent, callee: number, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(spec.rule);
  if (!config || spec.matches === undefined) return NO_FINDINGS;
  const w = (state[kind] ??= newSweepState());
  if (addOutcome(w, event.eventTime, config.windowMs, spec.matches, callee, DISTINCT_CALLEE_CAP) === 'late') {
    ctx.late(spec.rule);
    return NO_FINDINGS;
  }
  if (spec.matches) w.evidence = pushTimed(w.evidence, event.eventId, event.eventTime, EVIDENCE_SAMPLE);
  const share = matchedShare(w);
  const callees = distinctCallees(w);
  if (w.fired || callees <= config.threshold || share < spec.minShare) return NO_FINDINGS;
  w.fired = true;
  return [
    harvestingFinding(
      event,
      spec.rule,
      config,
      w.windowStart,
      { [spec.calleesMetric]: callees, endedCalls: w.ended, [spec.shareMetric]: roundShare(share) },
      { [spec.calleesMetric]: config.threshold, [spec.shareMetric]: spec.minShare },
      timedSince(w.evidence, w.windowStart),
    ),
  ];
}

export function onCallEnd(state: OutcomeSweepsState, event: CallEvent, callee: number, ctx: DetectorContext): readonly Finding[] {
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
    findings.push(...sweep(state, 'unanswered', spec, event, callee, ctx));
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
    findings.push(...sweep(state, 'short', spec, event, callee, ctx));
  }
  return findings;
}
