import type { RegistrationEvent } from '../../events/types';
import type { RuleConfig } from '../../policy/types';
import type { DetectorContext, Finding } from '../types';
import { addRegistration, evidenceFor, newBurst, type Burst, type BurstMember } from './burst';
import type { FraudulentRegistrationRule } from './rules';
import { NO_FINDINGS } from '../finding';

/**
 * One rule over the burst of a key: when the burst is fraud-shaped, and which
 * of its accounts belong to it. The evaluation around it is shared by every
 * rule of the category.
 */
export interface BurstRule<R extends FraudulentRegistrationRule = FraudulentRegistrationRule> {
  readonly rule: R;
  /** The limits the burst crosses (the finding's thresholds), or undefined while it is within them. */
  crossed(burst: Burst, config: Readonly<RuleConfig>): Record<string, number> | undefined;
  /** What was observed, in numbers: never an address, a device or a phone number. */
  metrics(burst: Burst): Record<string, number>;
  /** Whether an account is part of the burst and is flagged with it. */
  inBurst(member: BurstMember, burst: Burst, config: Readonly<RuleConfig>): boolean;
}

/** A burst per rule, so each rule keeps its own window length. */
export type BurstState<R extends string> = Record<R, Burst>;

export function newBurstState<R extends string>(rules: readonly R[]): BurstState<R> {
  return Object.fromEntries(rules.map((r) => [r, newBurst()])) as BurstState<R>;
}

/**
 * Adds the registration to the rule's burst. The moment the burst first
 * crosses its limits, every account in it is flagged, the earlier ones too;
 * after that, each account that joins the burst in the same window is
 * flagged when it does. Each kept account is flagged once per window; one
 * that arrived after the burst was full is flagged on each of its events
 * and left to the enforcer's de-duplication (same account, rule and window
 * give the same violation id).
 */
export function evaluateBurst(spec: BurstRule, burst: Burst, event: RegistrationEvent, ctx: DetectorContext): readonly Finding[] {
  const config = ctx.rule(spec.rule);
  if (!config) return NO_FINDINGS;
  const member = addRegistration(burst, event, config.windowMs);
  if (member === 'late') {
    ctx.late(spec.rule);
    return NO_FINDINGS;
  }
  burst.crossed ??= spec.crossed(burst, config);
  const crossed = burst.crossed;
  if (!crossed) return NO_FINDINGS;

  const candidates = member.kept ? burst.members : [...burst.members, member];
  const metrics = spec.metrics(burst);
  const findings: Finding[] = [];
  for (const m of candidates) {
    if (m.flagged || !spec.inBurst(m, burst, config)) continue;
    m.flagged = true;
    findings.push({
      accountId: m.accountId,
      category: 'FRAUDULENT_REGISTRATION',
      rule: spec.rule,
      severity: config.severity,
      action: config.action,
      windowStart: burst.windowStart,
      windowEnd: burst.windowStart + config.windowMs,
      detectedAt: event.eventTime,
      metrics: { ...metrics },
      thresholds: { ...crossed },
      evidence: evidenceFor(m, burst),
    });
  }
  return findings;
}
