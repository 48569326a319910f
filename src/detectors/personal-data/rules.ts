import type { RuleDefaults } from '../../policy/types';

const DAY = 24 * 3600 * 1000;

/**
 * Threshold 0: one message is enough. The window is a day so an account is
 * flagged once a day per kind of data, not once per message. Why: docs/rules.md.
 */
export const PERSONAL_DATA_RULES = {
  card_number_shared: { mode: 'enforce', threshold: 0, windowMs: DAY, severity: 'high', action: 'warn' },
  national_id_shared: { mode: 'enforce', threshold: 0, windowMs: DAY, severity: 'high', action: 'warn' },
  credential_shared: { mode: 'enforce', threshold: 0, windowMs: DAY, severity: 'medium', action: 'warn' },
} as const satisfies Record<string, RuleDefaults>;

export type PersonalDataRule = keyof typeof PERSONAL_DATA_RULES;

/** Event ids kept per rule for a finding's evidence. */
export const PERSONAL_DATA_EVIDENCE = 10;
