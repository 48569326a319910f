import type { RuleDefaults } from '../../policy/types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Defaults, per device (all accounts on it together). A notch (about 1.25×)
 * above the per-account limits: one device is one pair of hands, so a device
 * over these carries more than one heavy user's worth of traffic, which is the
 * signal the per-account rules cannot see (accounts splitting the load).
 * Why these numbers: docs/rules/excessive-volume.md.
 */
export const DEVICE_VOLUME_RULES = {
  device_calls_per_minute: { mode: 'enforce', threshold: 25, windowMs: MINUTE, severity: 'medium', action: 'throttle' },
  device_calls_per_hour: { mode: 'enforce', threshold: 250, windowMs: HOUR, severity: 'medium', action: 'throttle' },
  device_calls_per_day: { mode: 'enforce', threshold: 2000, windowMs: DAY, severity: 'high', action: 'suspend' },
  device_messages_per_minute: { mode: 'enforce', threshold: 150, windowMs: MINUTE, severity: 'medium', action: 'throttle' },
  device_messages_per_hour: { mode: 'enforce', threshold: 1250, windowMs: HOUR, severity: 'medium', action: 'throttle' },
  device_messages_per_day: { mode: 'enforce', threshold: 6000, windowMs: DAY, severity: 'high', action: 'suspend' },
} as const satisfies Record<string, RuleDefaults>;

export type DeviceVolumeRule = keyof typeof DEVICE_VOLUME_RULES;
export const DEVICE_CALL_RULES: readonly DeviceVolumeRule[] = ['device_calls_per_minute', 'device_calls_per_hour', 'device_calls_per_day'];
export const DEVICE_MESSAGE_RULES: readonly DeviceVolumeRule[] = ['device_messages_per_minute', 'device_messages_per_hour', 'device_messages_per_day'];

/**
 * Accounts remembered per device and window, so every account that used a
 * device over its limit is flagged, not only the one whose event crossed it.
 * A device with more accounts than this in one window is a farm: the first 32
 * are flagged, and the device limit itself still fires.
 */
export const DEVICE_ACCOUNTS_CAP = 32;
