import type { TelemetryEvent } from '../../events/types';
import type { RuleConfig } from '../../policy/types';
import { finding, windowSpan } from '../finding';
import type { Finding } from '../types';
import type { IncomeGenerationRule } from './rules';

/** One shape for every INCOME_GENERATION finding: metrics and evidence never carry a number or a prefix. */
export function incomeFinding(event: TelemetryEvent, rule: IncomeGenerationRule, config: Readonly<RuleConfig>, windowStart: number, metrics: Record<string, number>, thresholds: Record<string, number>, evidence: string[]): Finding {
  return finding(event, 'INCOME_GENERATION', rule, config, windowSpan(windowStart, config), metrics, thresholds, evidence);
}

export { param } from '../finding';
