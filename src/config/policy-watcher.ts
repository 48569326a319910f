import { errorMessage } from '../errors';
import type { Policy, RuleDefaults } from '../policy/types';
import { loadPolicyFile, policyFileStamp } from './policy-file';

/**
 * Reloads the policy file when it changes, without a restart. A file that no
 * longer validates is rejected and the policy in force stays: a typo must not
 * switch enforcement off.
 */
export interface PolicyWatcherHooks {
  applied(policy: Policy): void;
  rejected(reason: string): void;
}

export function watchPolicyFile(path: string, defaults: Readonly<Record<string, RuleDefaults>>, everyMs: number, hooks: PolicyWatcherHooks): () => void {
  let stamp = safeStamp(path);
  const timer = setInterval(() => {
    const now = safeStamp(path);
    if (now === stamp) return;
    stamp = now;
    try {
      hooks.applied(loadPolicyFile(path, defaults));
    } catch (err) {
      hooks.rejected(errorMessage(err));
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

function safeStamp(path: string): number {
  try {
    return policyFileStamp(path);
  } catch {
    return -1;
  }
}
