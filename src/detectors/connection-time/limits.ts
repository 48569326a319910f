import type { RuleConfig } from '../../policy/types';
import { MINUTE } from './rules';

/**
 * Time rules compare whole connected minutes with the threshold, so the
 * metric and the threshold in a finding read naturally (241 > 240). This is
 * the least connected time that is a finding.
 */
export function firstOverMs(config: Readonly<RuleConfig>): number {
  return (Math.floor(config.threshold) + 1) * MINUTE;
}

export function wholeMinutes(ms: number): number {
  return Math.floor(ms / MINUTE);
}

/** concurrent_calls counts a call only once it has been up this long, so a brief overlap is not "held". */
export function minHeldMs(config: Readonly<RuleConfig>): number {
  return (config.params['minHeldSeconds'] ?? 0) * 1000;
}
