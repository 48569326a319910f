import { EvidenceRing } from '../../engine/evidence-ring';
import { windowStart } from '../../engine/window';
import type { TelemetryEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { automatedFinding } from './finding';
import { GapRing } from './gap-ring';
import { AUTOMATED_ORIGINATION_RULES, EVIDENCE_SAMPLE, GAP_RING_CAPACITY, param } from './rules';

const RULE = 'regular_interarrival';
const DEFAULTS = AUTOMATED_ORIGINATION_RULES[RULE];

/**
 * The spacing of one kind of origination (calls or messages) of one account.
 * Kinds are kept apart so a dialler's clockwork is not hidden by its owner's
 * irregular texting, and the other way round.
 */
export interface Cadence {
  lastTime: number;
  gaps: GapRing;
  evidence: EvidenceRing;
  /** Window in which the current regular run was counted; -Infinity when not in a run. */
  runCountedIn: number;
}

/** Regular runs of the account (both kinds) in the current tumbling window. */
export interface SpacingWindow {
  start: number;
  runs: number;
  fired: boolean;
}

export function newCadence(): Cadence {
  return { lastTime: Number.NEGATIVE_INFINITY, gaps: new GapRing(GAP_RING_CAPACITY), evidence: new EvidenceRing(EVIDENCE_SAMPLE), runCountedIn: Number.NEGATIVE_INFINITY };
}

export function newSpacingWindow(): SpacingWindow {
  return { start: Number.NEGATIVE_INFINITY, runs: 0, fired: false };
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Adds one origination to its kind's cadence; a finding when the newest
 * `minEvents` of them are spaced with a coefficient of variation below
 * `maxCv` at a cadence of at least one per `maxMeanGapSeconds`.
 */
export function checkRegularSpacing(cadence: Cadence, window: SpacingWindow, event: TelemetryEvent, ctx: DetectorContext): Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return [];
  // An event older than the last of its kind cannot extend the series of gaps.
  if (event.eventTime < cadence.lastTime) {
    ctx.late(RULE);
    return [];
  }
  if (cadence.lastTime !== Number.NEGATIVE_INFINITY) cadence.gaps.push(event.eventTime - cadence.lastTime);
  cadence.lastTime = event.eventTime;
  cadence.evidence.push(event.eventId, event.eventTime);

  const minEvents = Math.min(Math.max(Math.floor(param(config, 'minEvents', DEFAULTS.params.minEvents)), 3), GAP_RING_CAPACITY + 1);
  const maxCv = param(config, 'maxCv', DEFAULTS.params.maxCv);
  const maxMeanGapMs = param(config, 'maxMeanGapSeconds', DEFAULTS.params.maxMeanGapSeconds) * 1000;
  const stats = cadence.gaps.stats(minEvents - 1);
  if (!stats) return [];
  if (!(stats.cv < maxCv && stats.meanMs <= maxMeanGapMs)) {
    cadence.runCountedIn = Number.NEGATIVE_INFINITY;
    return [];
  }
  const current = windowStart(event.eventTime, config.windowMs);
  // The other kind may have moved the window on; a run seen there is not counted back in an older one.
  if (current < window.start) return [];
  if (current > window.start) {
    window.start = current;
    window.runs = 0;
    window.fired = false;
  }
  // A run that carries on into a new window counts once in that window too.
  if (cadence.runCountedIn !== current) {
    cadence.runCountedIn = current;
    window.runs++;
  }
  if (window.fired || window.runs <= config.threshold) return [];
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
      cadence.evidence.since(runStart),
    ),
  ];
}
