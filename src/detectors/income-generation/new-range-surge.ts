import { windowStart } from '../../engine/window';
import type { CallEvent } from '../../events/types';
import type { Policy } from '../../policy/types';
import type { DetectorContext, Finding } from '../types';
import { incomeFinding, param } from './finding';
import { rangeCode } from './ranges';
import { EVIDENCE_SAMPLE, INCOME_GENERATION_RULES, MAX_HISTORY_DAYS, MAX_HISTORY_RANGES } from './rules';
import { NO_FINDINGS } from '../finding';

/**
 * new_range_surge: dialled calls within one window to a destination range
 * (ranges.ts) that the account had called at most `rareCalls` times before
 * the window, once the account has at least `minHistoryCalls` earlier calls
 * on record (a new account has no history, so every range would be "new").
 * Per range, not summed over ranges: someone calling businesses across many
 * area codes touches many new ranges a little; a pump or a sim-box hammers one.
 */
const RULE = 'new_range_surge';
const DAY = 24 * 3600 * 1000;
const DEFAULTS = INCOME_GENERATION_RULES[RULE].params;

/**
 * The account's range history. Every account that dials has one, so it is
 * packed into one array of numbers (stored unboxed) and one array of ids,
 * both kept at their exact length, instead of an object per range with its
 * boxed times and its own evidence array: a fraction of the heap.
 */
export interface RangeHistory {
  /**
   * Absent until the account first dials a number that has a range. Then
   * [windowStart, firedWindow, and per range (RANGE_FIELDS apart, least
   * recently added first) its code, calls, lastSeen, windowCalls and
   * evidence count]:
   * - windowStart: the account's current window: events before it are late;
   * - firedWindow: the rule fires once per account and window;
   * - code: rangeCode() of the range;
   * - calls: every call to the range still in history, the current window's included;
   * - lastSeen: its latest call;
   * - windowCalls: its calls in the current window (0 once the window moves on);
   * - evidence count: how many of `rangeEvidence` are its.
   * At most MAX_HISTORY_RANGES ranges: past it the least recently called is forgotten.
   */
  ranges: number[] | undefined;
  /**
   * Ids of the current window's calls to ranges that were rare, grouped by
   * range in the order of `ranges`: at most EVIDENCE_SAMPLE per range, the
   * latest. Cleared when the window moves on (a finding only ever shows the
   * current window's). Absent when empty, and one id is held as itself, not
   * in an array: an account's evidence is most often its first call to a
   * range, and the array would cost more than the id.
   */
  rangeEvidence: string | string[] | undefined;
}

const WINDOW_START = 0;
const FIRED_WINDOW = 1;
const HEADER = 2;
// A range's fields, from its first index.
const CODE = 0;
const CALLS = 1;
const LAST_SEEN = 2;
const WINDOW_CALLS = 3;
const EVIDENCE = 4;
const RANGE_FIELDS = 5;

/** `table[i]`; every index read here is inside the table by construction. */
const at = (table: readonly number[], i: number): number => table[i] ?? Number.NaN;

/** rangeEvidence as an array: the live one when it is one (written in place only by addEvidence). */
const idsOf = (evidence: RangeHistory['rangeEvidence']): string[] => (evidence === undefined ? [] : typeof evidence === 'string' ? [evidence] : evidence);
/** How rangeEvidence holds `ids` (see RangeHistory). */
const heldAs = (ids: string[]): RangeHistory['rangeEvidence'] => (ids.length > 1 ? ids : ids[0]);

/** Where range `r`'s evidence starts in rangeEvidence. */
function evidenceOffset(table: readonly number[], r: number): number {
  let offset = 0;
  for (let q = HEADER; q < r; q += RANGE_FIELDS) offset += at(table, q + EVIDENCE);
  return offset;
}

/** The longest history any tier asks for: the account's state must live that long without calls. */
export function longestHistoryMs(policy: Policy): number {
  let days = 0;
  for (const table of [policy.rules, ...policy.tiers.map((t) => t.rules)]) {
    const config = table[RULE];
    if (config && config.mode !== 'off') days = Math.max(days, param(config, 'historyDays', DEFAULTS.historyDays));
  }
  return Math.min(days, MAX_HISTORY_DAYS) * DAY;
}

/** Drops the ranges `drop` picks, with their evidence; the others keep their order. Builds new arrays only when one is dropped. */
function dropRanges(history: RangeHistory, table: number[], drop: (r: number) => boolean): number[] {
  let any = false;
  for (let r = HEADER; r < table.length && !any; r += RANGE_FIELDS) any = drop(r);
  if (!any) return table;
  const ids = idsOf(history.rangeEvidence);
  let kept = table.slice(0, HEADER);
  let evidence: string[] = [];
  let offset = 0;
  for (let r = HEADER; r < table.length; r += RANGE_FIELDS) {
    const count = at(table, r + EVIDENCE);
    if (!drop(r)) {
      // concat, not push: the arrays stay at their exact length (push leaves room for a dozen more).
      kept = kept.concat(table.slice(r, r + RANGE_FIELDS));
      evidence = evidence.concat(ids.slice(offset, offset + count));
    }
    offset += count;
  }
  history.ranges = kept;
  history.rangeEvidence = heldAs(evidence);
  return kept;
}

/** The table with `code`'s range in it (added if unknown); returns the table and the range's first index. */
function rangeFor(history: RangeHistory, code: number, eventTime: number, historyMs: number): { table: number[]; r: number } {
  const cutoff = eventTime - historyMs;
  const known = history.ranges ?? [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  // Ranges not called within the history horizon are forgotten: a country last called two months ago is new again.
  let table = dropRanges(history, known, (r) => at(known, r + LAST_SEEN) < cutoff);
  for (let r = HEADER; r < table.length; r += RANGE_FIELDS) if (at(table, r + CODE) === code) return { table, r };
  if ((table.length - HEADER) / RANGE_FIELDS >= MAX_HISTORY_RANGES) {
    // The least recently called makes room (the first of equals).
    let oldest = HEADER;
    for (let r = HEADER; r < table.length; r += RANGE_FIELDS) if (at(table, r + LAST_SEEN) < at(table, oldest + LAST_SEEN)) oldest = r;
    table = dropRanges(history, table, (r) => r === oldest);
  }
  table = table.concat([code, 0, eventTime, 0, 0]);
  history.ranges = table;
  return { table, r: table.length - RANGE_FIELDS };
}

/** A new current window: no range has calls or evidence in it yet. */
function newWindow(history: RangeHistory, table: number[], start: number): void {
  table[WINDOW_START] = start;
  for (let r = HEADER; r < table.length; r += RANGE_FIELDS) {
    table[r + WINDOW_CALLS] = 0;
    table[r + EVIDENCE] = 0;
  }
  history.rangeEvidence = undefined;
}

/** Adds `id` to range `r`'s evidence, the oldest making room past EVIDENCE_SAMPLE. */
function addEvidence(history: RangeHistory, table: number[], r: number, id: string): void {
  const ids = idsOf(history.rangeEvidence);
  const offset = evidenceOffset(table, r);
  const count = at(table, r + EVIDENCE);
  if (count < EVIDENCE_SAMPLE) {
    const end = offset + count;
    history.rangeEvidence = heldAs(ids.slice(0, end).concat(id, ids.slice(end)));
    table[r + EVIDENCE] = count + 1;
    return;
  }
  // Full: the range's ids shift by one, in place, with no new array (`ids` is the live one unless a lone id).
  ids.copyWithin(offset, offset + 1, offset + count);
  ids[offset + count - 1] = id;
  history.rangeEvidence = heldAs(ids);
}

/** `event` is a dialled call to a number that is not allow-listed. */
export function onCallStart(history: RangeHistory, event: CallEvent, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return NO_FINDINGS;
  const code = rangeCode(event.to);
  if (code === undefined) return NO_FINDINGS;
  const historyMs = Math.min(param(config, 'historyDays', DEFAULTS.historyDays), MAX_HISTORY_DAYS) * DAY;
  const { table, r } = rangeFor(history, code, event.eventTime, historyMs);
  table[r + CALLS] = at(table, r + CALLS) + 1;
  table[r + LAST_SEEN] = Math.max(at(table, r + LAST_SEEN), event.eventTime);

  const start = windowStart(event.eventTime, config.windowMs);
  if (start < at(table, WINDOW_START)) {
    // Its window is gone, but the call is still history for the windows to come.
    ctx.late(RULE);
    return NO_FINDINGS;
  }
  if (start > at(table, WINDOW_START)) newWindow(history, table, start);
  const windowCalls = at(table, r + WINDOW_CALLS) + 1;
  table[r + WINDOW_CALLS] = windowCalls;

  // Calls to the range before this window.
  const prior = at(table, r + CALLS) - windowCalls;
  if (prior > param(config, 'rareCalls', DEFAULTS.rareCalls)) return NO_FINDINGS;
  addEvidence(history, table, r, event.eventId);
  if (at(table, FIRED_WINDOW) === start || windowCalls <= config.threshold) return NO_FINDINGS;
  let historyCalls = 0;
  // Every range's calls before this window (a range not called in it has windowCalls 0).
  for (let q = HEADER; q < table.length; q += RANGE_FIELDS) historyCalls += at(table, q + CALLS) - at(table, q + WINDOW_CALLS);
  const minHistoryCalls = param(config, 'minHistoryCalls', DEFAULTS.minHistoryCalls);
  if (historyCalls < minHistoryCalls) return NO_FINDINGS;
  table[FIRED_WINDOW] = start;
  const offset = evidenceOffset(table, r);
  return [
    incomeFinding(
      event,
      RULE,
      config,
      start,
      { newRangeCalls: windowCalls, priorRangeCalls: prior, historyCalls },
      { newRangeCalls: config.threshold },
      idsOf(history.rangeEvidence).slice(offset, offset + at(table, r + EVIDENCE)),
    ),
  ];
}
