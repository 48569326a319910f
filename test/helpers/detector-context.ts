import type { DetectorContext } from '../../src/detectors/types';
import { rulesFor } from '../../src/policy/resolve';
import type { Policy } from '../../src/policy/types';

/**
 * A DetectorContext for driving a detector outside the pipeline, with the
 * pipeline's rule semantics: the account's tier settings, and undefined for a
 * rule that is off. Timers and late reports go nowhere unless overridden.
 */
export function detectorContext(policy: Policy, accountId = '', overrides: Partial<DetectorContext> = {}): DetectorContext {
  const rules = rulesFor(policy, accountId);
  return {
    policy,
    watermark: Number.NEGATIVE_INFINITY,
    rule: (name) => {
      const rule = rules[name];
      return rule !== undefined && rule.mode !== 'off' ? rule : undefined;
    },
    late: () => undefined,
    schedule: () => undefined,
    ...overrides,
  };
}
