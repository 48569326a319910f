import type { TelemetryEvent } from '../../events/types';
import type { RuleConfig } from '../../policy/types';
import { finding, windowSpan } from '../finding';
import type { Finding } from '../types';
import type { NumberHarvestingRule } from './rules';

/** A NUMBER_HARVESTING finding: counts and event ids only, never a phone number. */
export function harvestingFinding(event: TelemetryEvent, rule: NumberHarvestingRule, config: Readonly<RuleConfig>, windowStart: number, metrics: Record<string, number>, thresholds: Record<string, number>, evidence: string[]): Finding {
  return finding(event, 'NUMBER_HARVESTING', rule, config, windowSpan(windowStart, config), metrics, thresholds, evidence);
}

/** Shares go into metrics rounded to 3 decimals: enough to read, stable across runs. */
export function roundShare(share: number): number {
  return Math.round(share * 1000) / 1000;
}
