import { EvidenceRing } from '../../engine/evidence-ring';
import { windowStart } from '../../engine/window';
import type { CallEvent } from '../../events/types';
import type { DetectorContext, Finding } from '../types';
import { incomeFinding, param } from './finding';
import { highRiskOf, type HighRiskHolder } from './high-risk-state';
import { EVIDENCE_SAMPLE, INCOME_GENERATION_RULES, MAX_TRACKED_NUMBERS } from './rules';
import { NO_FINDINGS } from '../finding';

/**
 * high_risk_repeat_calls: connected calls (`answer`) to high-risk numbers,
 * counted per number, per window. The finding looks at the calls to the
 * `maxNumbers` most-called numbers, so pumping two numbers all day fires and
 * spreading a few calls over decoy numbers does not hide it. Connected, not
 * dialled: redialling a busy phone-in line earns its holder nothing.
 */
const RULE = 'high_risk_repeat_calls';
const DEFAULT_MAX_NUMBERS = INCOME_GENERATION_RULES[RULE].params.maxNumbers;

interface NumberCalls {
  number: string;
  calls: number;
}

export interface RepeatCallsState {
  windowStart: number;
  /** At most MAX_TRACKED_NUMBERS; past it the least-called number makes room (its calls are forgotten, never over-counted). */
  numbers: NumberCalls[];
  /** Every counted call in the window, tracked or not. */
  calls: number;
  fired: boolean;
  evidence: EvidenceRing;
}

export function newRepeatCalls(): RepeatCallsState {
  return { windowStart: Number.NEGATIVE_INFINITY, numbers: [], calls: 0, fired: false, evidence: new EvidenceRing(EVIDENCE_SAMPLE) };
}

function track(state: RepeatCallsState, number: string): void {
  const known = state.numbers.find((n) => n.number === number);
  if (known) {
    known.calls += 1;
    return;
  }
  if (state.numbers.length < MAX_TRACKED_NUMBERS) {
    state.numbers.push({ number, calls: 1 });
    return;
  }
  let least = 0;
  state.numbers.forEach((n, i) => {
    if (n.calls < (state.numbers[least]?.calls ?? Number.POSITIVE_INFINITY)) least = i;
  });
  state.numbers[least] = { number, calls: 1 };
}

function topCalls(numbers: readonly NumberCalls[], n: number): number {
  return numbers
    .map((x) => x.calls)
    .sort((a, b) => b - a)
    .slice(0, n)
    .reduce((sum, c) => sum + c, 0);
}

/** `event` is a connected call to a high-risk, not allow-listed number. */
export function onHighRiskAnswer(account: HighRiskHolder, event: CallEvent, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return NO_FINDINGS;
  const state = (highRiskOf(account).repeatCalls ??= newRepeatCalls());
  const start = windowStart(event.eventTime, config.windowMs);
  if (start < state.windowStart) {
    ctx.late(RULE);
    return NO_FINDINGS;
  }
  if (start > state.windowStart) {
    state.windowStart = start;
    state.numbers = [];
    state.calls = 0;
    state.fired = false;
  }
  state.calls += 1;
  track(state, event.to);
  state.evidence.push(event.eventId, event.eventTime);
  if (state.fired) return NO_FINDINGS;
  const maxNumbers = param(config, 'maxNumbers', DEFAULT_MAX_NUMBERS);
  const concentrated = topCalls(state.numbers, maxNumbers);
  if (concentrated <= config.threshold) return NO_FINDINGS;
  state.fired = true;
  return [
    incomeFinding(
      event,
      RULE,
      config,
      start,
      { connectedCalls: concentrated, highRiskCalls: state.calls, highRiskNumbers: state.numbers.length },
      { connectedCalls: config.threshold, maxNumbers },
      state.evidence.since(start),
    ),
  ];
}
