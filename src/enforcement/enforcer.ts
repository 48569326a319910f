import type { Finding } from '../detectors/types';
import type { Violation } from '../events/types';
import type { Policy } from '../policy/types';
import { violationId } from './violation-id';

export type EnforcementOutcome =
  | { kind: 'publish'; violation: Violation }
  | { kind: 'shadow'; violation: Violation }
  | { kind: 'duplicate'; violation: Violation };

/**
 * Finding → violation: id, policy version, and the rule's mode. Remembers the
 * ids it published (bounded, oldest forgotten first) so a finding that a
 * detector re-derives, for instance after its state was evicted, is not
 * published twice.
 */
export class Enforcer {
  private readonly published = new Set<string>();

  constructor(private readonly maxRemembered: number) {}

  decide(finding: Finding, policy: Policy): EnforcementOutcome {
    const violation: Violation = { violationId: violationId(finding), ...finding, policyVersion: policy.version };
    if (policy.rules[finding.rule]?.mode === 'shadow') return { kind: 'shadow', violation };
    if (this.published.has(violation.violationId)) return { kind: 'duplicate', violation };
    this.published.add(violation.violationId);
    if (this.published.size > this.maxRemembered) {
      const oldest = this.published.values().next();
      if (!oldest.done) this.published.delete(oldest.value);
    }
    return { kind: 'publish', violation };
  }
}
