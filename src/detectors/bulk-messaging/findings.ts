import type { TelemetryEvent } from '../../events/types';
import type { RuleConfig } from '../../policy/types';
import { finding, windowSpan } from '../finding';
import type { Finding } from '../types';
import type { BulkMessagingRule } from './rules';

/** A BULK_MESSAGING finding: counts and event ids only, never a number, a hash or text. */
export function bulkFinding(event: TelemetryEvent, rule: BulkMessagingRule, config: Readonly<RuleConfig>, windowStart: number, metrics: Record<string, number>, thresholds: Record<string, number>, evidence: string[]): Finding {
  return finding(event, 'BULK_MESSAGING', rule, config, windowSpan(windowStart, config), metrics, thresholds, evidence);
}
