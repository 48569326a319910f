import type { RuleDefaults } from '../../policy/types';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/** Why these numbers: docs/rules.md. */
export const IMPERSONATION_RULES = {
  caller_id_rotation: { mode: 'enforce', threshold: 2, windowMs: DAY, severity: 'high', action: 'suspend' },
  unattested_calls: { mode: 'enforce', threshold: 30, windowMs: HOUR, severity: 'medium', action: 'throttle' },
  impersonation_reports: { mode: 'enforce', threshold: 2, windowMs: DAY, severity: 'high', action: 'suspend' },
} as const satisfies Record<string, RuleDefaults>;

/** Distinct values kept per window; thresholds must stay below it to be reachable. */
export const DISTINCT_CAP = 32;

/** Event ids kept per rule for a finding's evidence. */
export const IMPERSONATION_EVIDENCE = 10;
