import type { RuleDefaults } from '../../policy/types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Defaults, per account. Calls count dialled calls (`start`), messages count
 * deliveries (one per recipient). Why these numbers: docs/rules.md.
 */
export const VOLUME_RULES = {
  calls_per_minute: { mode: 'enforce', threshold: 20, windowMs: MINUTE, severity: 'medium', action: 'throttle' },
  calls_per_hour: { mode: 'enforce', threshold: 200, windowMs: HOUR, severity: 'medium', action: 'throttle' },
  calls_per_day: { mode: 'enforce', threshold: 1500, windowMs: DAY, severity: 'high', action: 'suspend' },
  messages_per_minute: { mode: 'enforce', threshold: 120, windowMs: MINUTE, severity: 'medium', action: 'throttle' },
  messages_per_hour: { mode: 'enforce', threshold: 1000, windowMs: HOUR, severity: 'medium', action: 'throttle' },
  messages_per_day: { mode: 'enforce', threshold: 5000, windowMs: DAY, severity: 'high', action: 'suspend' },
} as const satisfies Record<string, RuleDefaults>;

export type VolumeRule = keyof typeof VOLUME_RULES;
export const CALL_RULES: readonly VolumeRule[] = ['calls_per_minute', 'calls_per_hour', 'calls_per_day'];
export const MESSAGE_RULES: readonly VolumeRule[] = ['messages_per_minute', 'messages_per_hour', 'messages_per_day'];
