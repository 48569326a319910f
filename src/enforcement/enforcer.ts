import type { Finding } from '../detectors/types';
import type { Violation } from '../events/types';
import { rulesFor } from '../policy/resolve';
import type { Policy } from '../policy/types';
import { violationId } from './violation-id';

/**
 * Finding → violation: deterministic id, policy version, and the enforcement
 * semantics of the policy:
 * - allow-listed accounts are never published (`allowed`);
 * - a rule in shadow mode is evaluated and counted, not published (`shadow`);
 * - an id already published is not published again (`duplicate`);
 * - the same rule for the same account publishes again only after the
 *   cooldown, or when the finding climbs the escalation ladder (`cooldown`);
 * - each earlier finding of the same rule and account within the escalation
 *   window moves a new one a step up the ladder (warn → throttle → suspend →
 *   terminate), never below the rule's own severity.
 * All memory is bounded: the oldest entries are forgotten first.
 */
export type EnforcementOutcome =
  | { kind: 'publish'; violation: Violation }
  | { kind: 'shadow'; violation: Violation }
  | { kind: 'duplicate'; violation: Violation }
  | { kind: 'cooldown'; violation: Violation }
  | { kind: 'allowed'; violation: Violation };

export interface History {
  /** Event times of earlier findings (newest last), for escalation. */
  times: number[];
  lastPublishedAt: number;
  lastStep: number;
}

const MAX_REMEMBERED_FINDINGS = 16;
const SEVERITY_RANK = { low: 0, medium: 1, high: 2, critical: 3 } as const;

export interface EnforcerData {
  published: string[];
  history: [string, History][];
}

/** What changed since the last takeChanges(): entries to write, or to delete (null, false). */
export interface EnforcerChanges {
  history: [string, History | null][];
  published: [string, boolean][];
}

export class Enforcer {
  private readonly published = new Set<string>();
  private readonly history = new Map<string, History>();
  /** History keys and published ids changed since takeChanges(), when a changelog persists them. */
  private readonly changedHistory: Set<string> | undefined;
  private readonly changedPublished: Set<string> | undefined;

  constructor(
    private readonly maxRemembered: number,
    options: { trackChanges?: boolean } = {},
  ) {
    this.changedHistory = options.trackChanges === true ? new Set() : undefined;
    this.changedPublished = options.trackChanges === true ? new Set() : undefined;
  }

  takeChanges(): EnforcerChanges {
    const changes: EnforcerChanges = { history: [], published: [] };
    for (const key of this.changedHistory ?? []) {
      const h = this.history.get(key);
      changes.history.push([key, h ? { ...h, times: [...h.times] } : null]);
    }
    for (const id of this.changedPublished ?? []) changes.published.push([id, this.published.has(id)]);
    this.changedHistory?.clear();
    this.changedPublished?.clear();
    return changes;
  }

  /** What it remembers, as plain data, so cooldowns and de-duplication survive a restart. */
  toData(): EnforcerData {
    return { published: [...this.published], history: [...this.history].map(([k, h]) => [k, { ...h, times: [...h.times] }]) };
  }

  restore(data: EnforcerData): void {
    for (const id of data.published) this.remember(id);
    for (const [key, h] of data.history) {
      this.history.delete(key);
      this.history.set(key, { ...h, times: [...h.times] });
    }
  }

  decide(finding: Finding, policy: Policy): EnforcementOutcome {
    const violation: Violation = { violationId: violationId(finding), ...finding, policyVersion: policy.version };
    if (policy.allow.accounts.has(finding.accountId)) return { kind: 'allowed', violation };
    if (rulesFor(policy, finding.accountId)[finding.rule]?.mode === 'shadow') return { kind: 'shadow', violation };
    if (this.published.has(violation.violationId)) return { kind: 'duplicate', violation };

    const key = `${finding.accountId}\u0000${finding.rule}`;
    const h = this.touch(key);
    const { cooldownMs, escalationWindowMs, ladder } = policy.enforcement;
    const priors = h.times.filter((t) => finding.detectedAt - t <= escalationWindowMs && t <= finding.detectedAt).length;
    h.times.push(finding.detectedAt);
    if (h.times.length > MAX_REMEMBERED_FINDINGS) h.times.shift();

    const base = ladder.findIndex((s) => s.action === finding.action);
    const step = base < 0 ? -1 : Math.min(base + priors, ladder.length - 1);
    if (finding.detectedAt - h.lastPublishedAt < cooldownMs && step <= h.lastStep) return { kind: 'cooldown', violation };

    const escalated = step > base ? ladder[step] : undefined;
    if (escalated) {
      violation.action = escalated.action;
      if (SEVERITY_RANK[escalated.severity] > SEVERITY_RANK[violation.severity]) violation.severity = escalated.severity;
    }
    if (priors > 0) violation.metrics = { ...violation.metrics, priorFindings: priors };
    h.lastPublishedAt = finding.detectedAt;
    h.lastStep = step;
    this.remember(violation.violationId);
    return { kind: 'publish', violation };
  }

  private touch(key: string): History {
    let h = this.history.get(key);
    if (h) this.history.delete(key);
    else h = { times: [], lastPublishedAt: Number.NEGATIVE_INFINITY, lastStep: -1 };
    this.history.set(key, h);
    this.changedHistory?.add(key);
    if (this.history.size > this.maxRemembered) {
      const oldest = this.history.keys().next();
      if (!oldest.done) {
        this.history.delete(oldest.value);
        this.changedHistory?.add(oldest.value);
      }
    }
    return h;
  }

  private remember(id: string): void {
    this.published.add(id);
    this.changedPublished?.add(id);
    if (this.published.size > this.maxRemembered) {
      const oldest = this.published.values().next();
      if (!oldest.done) {
        this.published.delete(oldest.value);
        this.changedPublished?.add(oldest.value);
      }
    }
  }
}
