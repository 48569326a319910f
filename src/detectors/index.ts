import type { RuleDefaults } from '../policy/types';
import { excessiveVolume } from './excessive-volume';
import { impersonation } from './impersonation';
import { personalData } from './personal-data';
import type { AnyDetector } from './types';

/** Every detector the service runs. A new category adds its module here. */
export const ALL_DETECTORS: readonly AnyDetector[] = [excessiveVolume, personalData, impersonation];

/** The defaults of every rule of every detector: the policy a file overrides. */
export function defaultRules(detectors: readonly AnyDetector[] = ALL_DETECTORS): Record<string, RuleDefaults> {
  const rules: Record<string, RuleDefaults> = {};
  for (const detector of detectors) {
    for (const [name, rule] of Object.entries(detector.defaults)) {
      if (rules[name]) throw new Error(`rule ${name} is defined by two detectors`);
      rules[name] = rule;
    }
  }
  return rules;
}
