import type { AnyDetector } from '../types';
import { fraudulentRegistrationByDevice } from './device';
import { fraudulentRegistrationByIp } from './ip';
import { fraudulentRegistrationByNumber } from './phone-number';

/**
 * FRAUDULENT_REGISTRATION: accounts created by automated means, for false
 * purposes, or with a false phone number. Three detectors over registration
 * events, keyed by what a farm shares across its accounts: the device, the
 * IP address, the phone number. A burst found under a key flags every
 * account in it, the ones registered before the threshold was crossed too.
 */
export { fraudulentRegistrationByDevice, fraudulentRegistrationByIp, fraudulentRegistrationByNumber };
export { FRAUDULENT_REGISTRATION_RULES } from './rules';

export const FRAUDULENT_REGISTRATION_DETECTORS: readonly AnyDetector[] = [fraudulentRegistrationByDevice, fraudulentRegistrationByIp, fraudulentRegistrationByNumber];
