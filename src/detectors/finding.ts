import type { Category, TelemetryEvent } from '../events/types';
import type { RuleConfig } from '../policy/types';
import type { Finding } from './types';

/**
 * What a detector returns when it finds nothing, which is nearly always: one
 * shared frozen list instead of a fresh `[]` per detector and event (a
 * measurable share of replay's garbage). Findings lists are read-only for
 * their callers, so sharing it is safe.
 */
export const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/** `a` then `b`, copied only when both hold findings (never mutates either: either may be NO_FINDINGS). */
export function concatFindings(a: readonly Finding[], b: readonly Finding[]): readonly Finding[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return [...a, ...b];
}

/** The event-time span a finding covers: start inclusive, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** The tumbling window of `config` that starts at `start`. */
export function windowSpan(start: number, config: Readonly<RuleConfig>): Span {
  return { start, end: start + config.windowMs };
}

/**
 * One shape for every detector's finding: severity and action from the rule's
 * settings, detected at the event that completed it. Callers pass counts and
 * event ids only, never a number, a hash or text.
 */
export function finding(
  event: Pick<TelemetryEvent, 'accountId' | 'eventTime'>,
  category: Category,
  rule: string,
  config: Readonly<RuleConfig>,
  span: Span,
  metrics: Record<string, number>,
  thresholds: Record<string, number>,
  evidence: string[],
): Finding {
  return {
    accountId: event.accountId,
    category,
    rule,
    severity: config.severity,
    action: config.action,
    windowStart: span.start,
    windowEnd: span.end,
    detectedAt: event.eventTime,
    metrics,
    thresholds,
    evidence,
  };
}

/** A rule's param, else its built-in default (a policy can only set params the defaults declare). */
export function param(config: Readonly<RuleConfig>, name: string, fallback: number): number {
  return config.params[name] ?? fallback;
}
