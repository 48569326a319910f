import type { RuleDefaults } from '../policy/types';
import { automatedOrigination } from './automated-origination';
import { bulkMessaging } from './bulk-messaging';
import { connectionTime } from './connection-time';
import { contactFlood, deviceVolume, excessiveVolume, fewNumbersFlood } from './excessive-volume';
import { FRAUDULENT_REGISTRATION_DETECTORS } from './fraudulent-registration';
import { impersonation } from './impersonation';
import { incomeGeneration } from './income-generation';
import { numberHarvesting } from './number-harvesting';
import { personalData } from './personal-data';
import type { AnyDetector } from './types';

/** Every detector the service runs, one or more per guideline category. A new one is added here. */
export const ALL_DETECTORS: readonly AnyDetector[] = [
  excessiveVolume,
  deviceVolume,
  contactFlood,
  fewNumbersFlood,
  connectionTime,
  automatedOrigination,
  bulkMessaging,
  numberHarvesting,
  incomeGeneration,
  impersonation,
  ...FRAUDULENT_REGISTRATION_DETECTORS,
  personalData,
];

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
