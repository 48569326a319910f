import type { EnforcementPolicy, HighRiskPrefix } from './types';

const HOUR = 3600 * 1000;

export const DEFAULT_ENFORCEMENT: EnforcementPolicy = {
  cooldownMs: 6 * HOUR,
  escalationWindowMs: 7 * 24 * HOUR,
  ladder: [
    { severity: 'low', action: 'warn' },
    { severity: 'medium', action: 'throttle' },
    { severity: 'high', action: 'suspend' },
    { severity: 'critical', action: 'terminate' },
  ],
};

/**
 * Widely published high-risk destination ranges: international premium and
 * shared-cost services, satellite and international networks, and the
 * country codes most abused for international revenue-share fraud (IRSF).
 * Operators replace the list in the policy file with their carriers' feeds.
 */
export const DEFAULT_HIGH_RISK_PREFIXES: readonly HighRiskPrefix[] = [
  { prefix: '+1900', label: 'US premium rate' },
  { prefix: '+1976', label: 'US premium rate' },
  { prefix: '+449', label: 'UK premium rate' },
  { prefix: '+4487', label: 'UK revenue-share' },
  { prefix: '+4470', label: 'UK personal numbering' },
  { prefix: '+979', label: 'international premium rate' },
  { prefix: '+808', label: 'international shared cost' },
  { prefix: '+870', label: 'Inmarsat' },
  { prefix: '+881', label: 'global mobile satellite' },
  { prefix: '+882', label: 'international networks' },
  { prefix: '+883', label: 'international networks' },
  { prefix: '+53', label: 'IRSF: Cuba' },
  { prefix: '+224', label: 'IRSF: Guinea' },
  { prefix: '+232', label: 'IRSF: Sierra Leone' },
  { prefix: '+239', label: 'IRSF: Sao Tome and Principe' },
  { prefix: '+246', label: 'IRSF: Diego Garcia' },
  { prefix: '+252', label: 'IRSF: Somalia' },
  { prefix: '+269', label: 'IRSF: Comoros' },
  { prefix: '+370', label: 'IRSF: Lithuania premium' },
  { prefix: '+371', label: 'IRSF: Latvia premium' },
  { prefix: '+500', label: 'IRSF: Falkland Islands' },
  { prefix: '+670', label: 'IRSF: Timor-Leste' },
  { prefix: '+674', label: 'IRSF: Nauru' },
  { prefix: '+675', label: 'IRSF: Papua New Guinea' },
  { prefix: '+677', label: 'IRSF: Solomon Islands' },
  { prefix: '+682', label: 'IRSF: Cook Islands' },
  { prefix: '+683', label: 'IRSF: Niue' },
  { prefix: '+686', label: 'IRSF: Kiribati' },
  { prefix: '+688', label: 'IRSF: Tuvalu' },
  { prefix: '+690', label: 'IRSF: Tokelau' },
  { prefix: '+692', label: 'IRSF: Marshall Islands' },
];
