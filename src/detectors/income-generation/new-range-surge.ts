import { windowStart } from '../../engine/window';
import type { CallEvent } from '../../events/types';
import type { Policy } from '../../policy/types';
import type { DetectorContext, Finding } from '../types';
import { incomeFinding, param } from './finding';
import { destinationRange } from './ranges';
import { EVIDENCE_SAMPLE, INCOME_GENERATION_RULES, MAX_HISTORY_DAYS, MAX_HISTORY_RANGES } from './rules';

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

interface RangeEntry {
  range: string;
  /** Every call to the range still in history, including the current window's. */
  calls: number;
  lastSeen: number;
  windowStart: number;
  windowCalls: number;
  /** Ids of this window's calls, kept only while the range is rare. */
  evidence: string[];
}

export interface RangeHistory {
  /** At most MAX_HISTORY_RANGES, least recently called forgotten first. */
  entries: RangeEntry[];
  /** The account's current window: events before it are late. */
  windowStart: number;
  /** Fires once per account and window. */
  firedWindow: number;
}

export function newRangeHistory(): RangeHistory {
  return { entries: [], windowStart: Number.NEGATIVE_INFINITY, firedWindow: Number.NEGATIVE_INFINITY };
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

/** Calls to the range before window `start`. */
const priorCalls = (e: RangeEntry, start: number): number => (e.windowStart === start ? e.calls - e.windowCalls : e.calls);

function entryFor(history: RangeHistory, range: string, eventTime: number, historyMs: number): RangeEntry {
  // Ranges not called within the history horizon are forgotten: a country last called two months ago is new again.
  history.entries = history.entries.filter((e) => e.lastSeen >= eventTime - historyMs);
  const known = history.entries.find((e) => e.range === range);
  if (known) return known;
  const created: RangeEntry = { range, calls: 0, lastSeen: eventTime, windowStart: Number.NEGATIVE_INFINITY, windowCalls: 0, evidence: [] };
  if (history.entries.length >= MAX_HISTORY_RANGES) {
    let oldest = 0;
    history.entries.forEach((e, i) => {
      if (e.lastSeen < (history.entries[oldest]?.lastSeen ?? Number.POSITIVE_INFINITY)) oldest = i;
    });
    history.entries.splice(oldest, 1);
  }
  history.entries.push(created);
  return created;
}

/** `event` is a dialled call to a number that is not allow-listed. */
export function onCallStart(history: RangeHistory, event: CallEvent, ctx: DetectorContext): Finding[] {
  const config = ctx.rule(RULE);
  if (!config) return [];
  const range = destinationRange(event.to);
  if (range === undefined) return [];
  const historyMs = Math.min(param(config, 'historyDays', DEFAULTS.historyDays), MAX_HISTORY_DAYS) * DAY;
  const entry = entryFor(history, range, event.eventTime, historyMs);
  entry.calls += 1;
  entry.lastSeen = Math.max(entry.lastSeen, event.eventTime);

  const start = windowStart(event.eventTime, config.windowMs);
  if (start < history.windowStart) {
    // Its window is gone, but the call is still history for the windows to come.
    ctx.late(RULE);
    return [];
  }
  history.windowStart = start;
  if (entry.windowStart < start) {
    entry.windowStart = start;
    entry.windowCalls = 0;
    entry.evidence = [];
  }
  entry.windowCalls += 1;

  const prior = priorCalls(entry, start);
  if (prior > param(config, 'rareCalls', DEFAULTS.rareCalls)) return [];
  entry.evidence.push(event.eventId);
  if (entry.evidence.length > EVIDENCE_SAMPLE) entry.evidence.shift();
  if (history.firedWindow === start || entry.windowCalls <= config.threshold) return [];
  const historyCalls = history.entries.reduce((sum, e) => sum + priorCalls(e, start), 0);
  const minHistoryCalls = param(config, 'minHistoryCalls', DEFAULTS.minHistoryCalls);
  if (historyCalls < minHistoryCalls) return [];
  history.firedWindow = start;
  return [
    incomeFinding(
      event,
      RULE,
      config,
      start,
      { newRangeCalls: entry.windowCalls, priorRangeCalls: prior, historyCalls },
      { newRangeCalls: config.threshold },
      [...entry.evidence],
    ),
  ];
}
