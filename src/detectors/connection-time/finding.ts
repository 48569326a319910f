import type { RuleConfig } from '../../policy/types';
import type { Finding } from '../types';
import { EVIDENCE_SAMPLE, type ConnectionTimeRule } from './rules';

export interface Observed {
  accountId: string;
  rule: ConnectionTimeRule;
  config: Readonly<RuleConfig>;
  windowStart: number;
  detectedAt: number;
  /** The one metric the threshold applies to, e.g. connectedMinutes. */
  metric: string;
  value: number;
  evidence: readonly string[];
}

/** Every finding of the category has the same shape: one metric against its threshold, the newest evidence. */
export function finding(o: Observed): Finding {
  return {
    accountId: o.accountId,
    category: 'EXCESSIVE_CONNECTION_TIME',
    rule: o.rule,
    severity: o.config.severity,
    action: o.config.action,
    windowStart: o.windowStart,
    windowEnd: o.windowStart + o.config.windowMs,
    detectedAt: o.detectedAt,
    metrics: { [o.metric]: o.value },
    thresholds: { [o.metric]: o.config.threshold },
    evidence: [...new Set(o.evidence)].slice(-EVIDENCE_SAMPLE),
  };
}
