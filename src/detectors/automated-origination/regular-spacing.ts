import { windowStart } from '../../engine/window';
import type { TelemetryEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { evidenceSince, pushEvidence, SAMPLE } from './evidence-log';
import { automatedFinding } from './finding';
import { gapCount, gapStats, pushGap } from './gap-ring';
import { AUTOMATED_ORIGINATION_RULES, EVIDENCE_SAMPLE, GAP_RING_CAPACITY, param } from './rules';
import { CALLS, headAt, intAt, MESSAGES, setHead, setInt, SPACING_FIRED, SPACING_RUNS, SPACING_START, type AutomatedOriginationState, type CadenceHead } from './state';
import { NO_FINDINGS } from '../finding';

const RULE = 'regular_interarrival';
const DEFAULTS = AUTOMATED_ORIGINATION_RULES[RULE];

/**
 * The spacing of one kind of origination (calls or messages) of one account.
 * Kinds are kept apart so a dialler's clockwork is not hidden by its owner's
 * irregular texting, and the other way round. A kind's cadence (CALLS or
 * MESSAGES in the row's head, its gaps in `n`: state.ts, gap-ring.ts) starts
 * at the kind's first origination: it holds the time of the latest one (the
 * next gap starts there), since the kind's evidence sample keeps ids only
 * near a run long enough to judge and so cannot say when the last one was.
 * The account's regular runs (both kinds) in the current tumbling window are
 * SPACING_START (-Infinity before the first run), SPACING_RUNS, SPACING_FIRED.
 */
export type OriginationKind = 'calls' | 'messages';

type Row = AutomatedOriginationState;

const CADENCE: Readonly<Record<OriginationKind, CadenceHead>> = { calls: CALLS, messages: MESSAGES };

/** Whether the kind has a cadence yet (it has originated once). */
export const hasCadence = (st: Row, c: CadenceHead): boolean => !Number.isNaN(headAt(st, c.last));

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Adds one origination to its kind's cadence; a finding when the newest
 * `minEvents` of them are spaced with a coefficient of variation below
 * `maxCv` at a cadence of at least one per `maxMeanGapSeconds`.
 */
export function checkRegularSpacing(st: Row, kind: OriginationKind, event: TelemetryEvent, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return NO_FINDINGS;
  const sample = SAMPLE[kind];
  const cadence = CADENCE[kind];
  const exists = hasCadence(st, cadence);
  const last = headAt(st, cadence.last);
  // An event older than the last of its kind cannot extend the series of gaps.
  if (exists && event.eventTime < last) {
    ctx.late(RULE);
    return NO_FINDINGS;
  }
  const minEvents = Math.min(Math.max(Math.floor(param(config, 'minEvents', DEFAULTS.params.minEvents)), 3), GAP_RING_CAPACITY + 1);
  if (exists) pushGap(st, cadence, event.eventTime - last);
  setHead(st, cadence.last, event.eventTime);
  // The kind's events held, this one included: gaps + 1 while the ring fills, and never fewer later (it never
  // shrinks and late events are not pushed). A finding comes at the minEvents-th event at the earliest, and its
  // evidence is at most the sample's last EVIDENCE_SAMPLE events, all pushed when at least minEvents -
  // (EVIDENCE_SAMPLE - 1) were held; one event earlier still, for margin. Before that the sample is left empty.
  if (gapCount(st, cadence) + 1 >= minEvents - EVIDENCE_SAMPLE) pushEvidence(st, event.eventId, event.eventTime, sample);
  const maxCv = param(config, 'maxCv', DEFAULTS.params.maxCv);
  const maxMeanGapMs = param(config, 'maxMeanGapSeconds', DEFAULTS.params.maxMeanGapSeconds) * 1000;
  const stats = gapStats(st, cadence, minEvents - 1);
  if (!stats) return NO_FINDINGS;
  if (!(stats.cv < maxCv && stats.meanMs <= maxMeanGapMs)) {
    setHead(st, cadence.runCountedIn, Number.NaN);
    return NO_FINDINGS;
  }
  const current = windowStart(event.eventTime, config.windowMs);
  const start = headAt(st, SPACING_START);
  // The other kind may have moved the window on; a run seen there is not counted back in an older one.
  if (current < start) return NO_FINDINGS;
  if (current > start) {
    setHead(st, SPACING_START, current);
    setInt(st, SPACING_RUNS, 0);
    setInt(st, SPACING_FIRED, 0);
  }
  // A run that carries on into a new window counts once in that window too.
  if (headAt(st, cadence.runCountedIn) !== current) {
    setHead(st, cadence.runCountedIn, current);
    setInt(st, SPACING_RUNS, intAt(st, SPACING_RUNS) + 1);
  }
  const runs = intAt(st, SPACING_RUNS);
  if (intAt(st, SPACING_FIRED) !== 0 || runs <= config.threshold) return NO_FINDINGS;
  setInt(st, SPACING_FIRED, 1);
  const runStart = event.eventTime - stats.spanMs;
  return [
    automatedFinding(
      event,
      RULE,
      config,
      // The run itself: from its first origination to just past its last.
      { start: runStart, end: event.eventTime + 1 },
      { regularRuns: runs, interArrivalCv: round(stats.cv, 4), events: stats.count + 1, meanGapMs: Math.round(stats.meanMs) },
      { regularRuns: config.threshold, interArrivalCv: maxCv, events: minEvents, meanGapMs: maxMeanGapMs },
      evidenceSince(st, sample, runStart),
    ),
  ];
}
