import { windowStart } from '../../engine/window';
import type { TelemetryEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { SAMPLE, type EvidenceLog } from './evidence-log';
import { automatedFinding } from './finding';
import { GapRing } from './gap-ring';
import { AUTOMATED_ORIGINATION_RULES, EVIDENCE_SAMPLE, GAP_RING_CAPACITY, param } from './rules';
import { NO_FINDINGS } from '../finding';

const RULE = 'regular_interarrival';
const DEFAULTS = AUTOMATED_ORIGINATION_RULES[RULE];

/**
 * The spacing of one kind of origination (calls or messages) of one account.
 * Kinds are kept apart so a dialler's clockwork is not hidden by its owner's
 * irregular texting, and the other way round. Made at the kind's first
 * origination: it holds the time of the latest one (the next gap starts
 * there), since the kind's evidence sample keeps ids only near a run long
 * enough to judge and so cannot say when the last one was. The gap ring
 * itself, with fields more, rather than an object holding one: an object
 * less is 40 bytes less.
 */
export class Cadence extends GapRing {
  /** Window in which the current regular run was counted; undefined when not in a run. */
  runCountedIn: number | undefined = undefined;

  /** @param last time of the kind's latest origination (its first, when made). */
  constructor(
    public last: number,
    capacity: number = GAP_RING_CAPACITY,
  ) {
    super(capacity);
  }
}

/** Regular runs of the account (both kinds) in the current tumbling window. */
export interface SpacingWindow {
  start: number;
  runs: number;
  fired: boolean;
}

export type OriginationKind = 'calls' | 'messages';

/** No regular run yet. Frozen: shared by every such account, replaced by its own window on the first. */
export const NO_SPACING: SpacingWindow = Object.freeze({ start: Number.NEGATIVE_INFINITY, runs: 0, fired: false });

/** What the rule keeps of an account. */
export interface SpacingState {
  evidence: EvidenceLog;
  calls: Cadence | undefined;
  messages: Cadence | undefined;
  spacing: SpacingWindow;
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Adds one origination to its kind's cadence; a finding when the newest
 * `minEvents` of them are spaced with a coefficient of variation below
 * `maxCv` at a cadence of at least one per `maxMeanGapSeconds`.
 */
export function checkRegularSpacing(state: SpacingState, kind: OriginationKind, event: TelemetryEvent, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return NO_FINDINGS;
  const sample = SAMPLE[kind];
  let cadence = state[kind];
  // An event older than the last of its kind cannot extend the series of gaps.
  if (cadence && event.eventTime < cadence.last) {
    ctx.late(RULE);
    return NO_FINDINGS;
  }
  const minEvents = Math.min(Math.max(Math.floor(param(config, 'minEvents', DEFAULTS.params.minEvents)), 3), GAP_RING_CAPACITY + 1);
  if (cadence) {
    cadence.push(event.eventTime - cadence.last);
    cadence.last = event.eventTime;
  } else {
    cadence = new Cadence(event.eventTime);
    state[kind] = cadence;
  }
  // The kind's events held, this one included: gaps + 1 while the ring fills, and never fewer later (it never
  // shrinks and late events are not pushed). A finding comes at the minEvents-th event at the earliest, and its
  // evidence is at most the sample's last EVIDENCE_SAMPLE events, all pushed when at least minEvents -
  // (EVIDENCE_SAMPLE - 1) were held; one event earlier still, for margin. Before that the sample is left empty.
  if (cadence.size + 1 >= minEvents - EVIDENCE_SAMPLE) state.evidence.push(event.eventId, event.eventTime, sample);
  const maxCv = param(config, 'maxCv', DEFAULTS.params.maxCv);
  const maxMeanGapMs = param(config, 'maxMeanGapSeconds', DEFAULTS.params.maxMeanGapSeconds) * 1000;
  const stats = cadence.stats(minEvents - 1);
  if (!stats) return NO_FINDINGS;
  if (!(stats.cv < maxCv && stats.meanMs <= maxMeanGapMs)) {
    cadence.runCountedIn = undefined;
    return NO_FINDINGS;
  }
  const current = windowStart(event.eventTime, config.windowMs);
  // The other kind may have moved the window on; a run seen there is not counted back in an older one.
  if (current < state.spacing.start) return NO_FINDINGS;
  if (current > state.spacing.start) state.spacing = { start: current, runs: 0, fired: false };
  const window = state.spacing;
  // A run that carries on into a new window counts once in that window too.
  if (cadence.runCountedIn !== current) {
    cadence.runCountedIn = current;
    window.runs++;
  }
  if (window.fired || window.runs <= config.threshold) return NO_FINDINGS;
  window.fired = true;
  const runStart = event.eventTime - stats.spanMs;
  return [
    automatedFinding(
      event,
      RULE,
      config,
      // The run itself: from its first origination to just past its last.
      { start: runStart, end: event.eventTime + 1 },
      { regularRuns: window.runs, interArrivalCv: round(stats.cv, 4), events: stats.count + 1, meanGapMs: Math.round(stats.meanMs) },
      { regularRuns: config.threshold, interArrivalCv: maxCv, events: minEvents, meanGapMs: maxMeanGapMs },
      state.evidence.since(sample, runStart),
    ),
  ];
}
