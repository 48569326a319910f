import { createHash } from 'node:crypto';
import type { Finding } from '../detectors/types';

/**
 * Deterministic: the same rule over the same account and window gives the same
 * id on every process, restart and replay, so consumers can de-duplicate.
 * The policy version is left out on purpose: a policy reload must not turn a
 * finding already published into a "new" one.
 */
export function violationId(f: Pick<Finding, 'accountId' | 'category' | 'rule' | 'windowStart' | 'windowEnd'>): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([f.accountId, f.category, f.rule, f.windowStart, f.windowEnd]))
    .digest('hex');
  return `v1-${digest.slice(0, 32)}`;
}
