import { scenario as automatedOrigination } from './automated-origination';
import { scenario as bulkMessaging } from './bulk-messaging';
import { scenario as connectionTime } from './connection-time';
import { scenario as excessiveVolume } from './excessive-volume';
import { scenario as fraudulentRegistration } from './fraudulent-registration';
import { scenario as impersonation } from './impersonation';
import { scenario as incomeGeneration } from './income-generation';
import { scenario as numberHarvesting } from './number-harvesting';
import { scenario as personalData } from './personal-data';
import type { CategoryScenario } from './types';

/** Every category's labelled personas, in the contract's category order. */
export const SCENARIOS: readonly CategoryScenario[] = [
  excessiveVolume,
  connectionTime,
  automatedOrigination,
  bulkMessaging,
  numberHarvesting,
  incomeGeneration,
  impersonation,
  fraudulentRegistration,
  personalData,
];
