import type { RuleConfig } from '../../policy/types';
import type { Finding } from '../types';

/** Event ids a finding carries at most (the same sample size as the per-account rules). */
export const FINDING_EVIDENCE = 10;

export interface VolumeFindingInput {
  accountId: string;
  rule: string;
  config: Readonly<RuleConfig>;
  windowStart: number;
  detectedAt: number;
  /** Counts only: never a phone number or a device id. */
  metrics: Record<string, number>;
  thresholds: Record<string, number>;
  evidence: string[];
}

/** One EXCESSIVE_VOLUME finding; severity and action come from the rule's settings for the account's tier. */
export function volumeFinding(input: VolumeFindingInput): Finding {
  return {
    accountId: input.accountId,
    category: 'EXCESSIVE_VOLUME',
    rule: input.rule,
    severity: input.config.severity,
    action: input.config.action,
    windowStart: input.windowStart,
    windowEnd: input.windowStart + input.config.windowMs,
    detectedAt: input.detectedAt,
    metrics: input.metrics,
    thresholds: input.thresholds,
    evidence: input.evidence,
  };
}
