import type { RuleDefaults } from '../../policy/types';

export const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * Thresholds of the two time rules are connected minutes; a finding needs a
 * whole minute above them (241 min against 240). Every window is a day, so an
 * account is flagged at most once a day per rule. Why these numbers:
 * docs/rules/connection-time.md.
 */
export const CONNECTION_TIME_RULES = {
  long_call: { mode: 'enforce', threshold: 240, windowMs: DAY, severity: 'medium', action: 'warn' },
  concurrent_calls: { mode: 'enforce', threshold: 3, windowMs: DAY, severity: 'high', action: 'throttle', params: { minHeldSeconds: 60 } },
  daily_connected_time: { mode: 'enforce', threshold: 720, windowMs: DAY, severity: 'medium', action: 'throttle' },
} as const satisfies Record<string, RuleDefaults>;

export type ConnectionTimeRule = keyof typeof CONNECTION_TIME_RULES;

/**
 * Open calls kept per account. Past it, new answers are ignored (their time
 * still counts from their `end`, which carries durationMs): 64 is far above
 * any concurrent_calls threshold, so the account has been flagged long before.
 */
export const MAX_OPEN_CALLS = 64;

/**
 * An open call older than this is presumed to have lost its `end` and is
 * closed at this age, so one lost event cannot keep an account "on a call"
 * forever. By then long_call (limits under a day) has already fired.
 */
export const OPEN_CALL_MAX_AGE_MS = DAY;

/** Ended call ids remembered, to ignore a redelivered `end` or an `answer` that arrives after its `end`. */
export const RECENTLY_ENDED_CAP = 32;

/**
 * Checks one timer or event may run for moments the watermark has already
 * passed. Each moves time forward; past the cap the rest wait for a timer.
 */
export const MAX_CATCH_UP_CHECKS = 2 * MAX_OPEN_CALLS + 8;

/** Event ids a finding carries at most. */
export const EVIDENCE_SAMPLE = 10;
