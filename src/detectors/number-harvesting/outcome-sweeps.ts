import { EvidenceRing } from '../../engine/evidence-ring';
import type { CallEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { connectedMs, wasUnanswered } from './call-outcome';
import { harvestingFinding, roundShare } from './finding';
import { addOutcome, matchedShare, newOutcomeWindow, type OutcomeWindow } from './outcome-window';
import { DISTINCT_CALLEE_CAP, EVIDENCE_SAMPLE, param, type NumberHarvestingRule } from './rules';

/**
 * The two rules over how calls ended. Both need many distinct callees AND a
 * high share: a heavy caller or a call centre reaches many numbers too, but
 * most of its calls connect and last; a harvester's mostly do not.
 * - unanswered_sweep (per hour): calls that ended unanswered or invalid.
 * - short_call_sweep (per day): calls connected for less than maxConnectedMs,
 *   which adds the probe that hangs up the moment someone answers.
 */
export interface SweepState {
  window: OutcomeWindow;
  evidence: EvidenceRing;
}

export interface OutcomeSweepsState {
  unanswered: SweepState;
  short: SweepState;
}

export function newOutcomeSweepsState(): OutcomeSweepsState {
  const sweep = (): SweepState => ({ window: newOutcomeWindow(), evidence: new EvidenceRing(EVIDENCE_SAMPLE) });
  return { unanswered: sweep(), short: sweep() };
}

interface SweepSpec {
  rule: NumberHarvestingRule;
  /** Whether the ended call is the kind the rule counts; undefined when the event cannot tell. */
  matches: boolean | undefined;
  minShare: number;
  calleesMetric: string;
  shareMetric: string;
}

function sweep(state: SweepState, spec: SweepSpec, event: CallEvent, callee: number, ctx: DetectorContext): Finding[] {
  const config = ctx.rule(spec.rule);
  if (!config || spec.matches === undefined) return [];
  const w = state.window;
  if (addOutcome(w, event.eventTime, config.windowMs, spec.matches, callee, DISTINCT_CALLEE_CAP) === 'late') {
    ctx.late(spec.rule);
    return [];
  }
  if (spec.matches) state.evidence.push(event.eventId, event.eventTime);
  const share = matchedShare(w);
  if (w.fired || w.callees.length <= config.threshold || share < spec.minShare) return [];
  w.fired = true;
  return [
    harvestingFinding(
      event,
      spec.rule,
      config,
      w.windowStart,
      { [spec.calleesMetric]: w.callees.length, endedCalls: w.ended, [spec.shareMetric]: roundShare(share) },
      { [spec.calleesMetric]: config.threshold, [spec.shareMetric]: spec.minShare },
      state.evidence.since(w.windowStart),
    ),
  ];
}

export function onCallEnd(state: OutcomeSweepsState, event: CallEvent, callee: number, ctx: DetectorContext): Finding[] {
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
    findings.push(...sweep(state.unanswered, spec, event, callee, ctx));
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
    findings.push(...sweep(state.short, spec, event, callee, ctx));
  }
  return findings;
}
