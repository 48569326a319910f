import type { TelemetryEvent } from '../../events/types';
import type { RuleConfig } from '../../policy/types';
import { finding, type Span } from '../finding';
import type { Finding } from '../types';
import type { AutomatedOriginationRule } from './rules';

export type { Span };

/** A finding of this category: counts and event ids only, never numbers or text. */
export function automatedFinding(event: TelemetryEvent, rule: AutomatedOriginationRule, config: Readonly<RuleConfig>, span: Span, metrics: Record<string, number>, thresholds: Record<string, number>, evidence: string[]): Finding {
  return finding(event, 'AUTOMATED_ORIGINATION', rule, config, span, metrics, thresholds, evidence);
}
