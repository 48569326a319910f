import type { BurstRule } from './burst-rule';
import { unverifiedAccounts, unverifiedFailures } from './burst';
import type { FraudulentRegistrationRule } from './rules';

/**
 * Failed or skipped one-time-code checks under one key (a device, a phone
 * number) by accounts that never verified in the window. A person who
 * mistypes the code and then enters the right one verified, so their failure
 * stops counting; a number nobody can receive codes on keeps failing. The
 * accounts flagged are those with a failure and no verification.
 */
export function failureRule<R extends FraudulentRegistrationRule>(rule: R): BurstRule<R> {
  return {
    rule,
    crossed: (burst, config) => (unverifiedFailures(burst) > config.threshold ? { failedAttempts: config.threshold } : undefined),
    metrics: (burst) => ({ failedAttempts: unverifiedFailures(burst), unverifiedAccounts: unverifiedAccounts(burst), accounts: burst.members.length }),
    inBurst: (member) => !member.verified && member.failures > 0,
  };
}
