import type { TelemetryEvent } from '../src/events/types';
import { demoTraffic } from '../src/simulate/demo-traffic';

/**
 * Benchmark load: demo traffic (ordinary accounts, heavy texters, spammers,
 * robocallers) in event-time order. Deterministic for a seed, so runs compare.
 */
export function benchLoad(accounts: number, minutes: number, seed = 7): TelemetryEvent[] {
  return demoTraffic({ accounts, minutes, seed, startTime: Date.UTC(2026, 0, 5, 9) }).events;
}
