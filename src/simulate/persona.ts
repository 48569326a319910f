import type { Category, TelemetryEvent } from '../events/types';
import type { Draw } from './random';
import type { TrafficBuilder } from './traffic-builder';

/**
 * What a persona is: a kind of account (or of a group of accounts that act
 * together: a family on one tablet, a registration farm), how it behaves, and
 * for abusive ones the guideline categories it is built to break.
 */
export type PersonaKind = 'legitimate' | 'abusive';

/** One platform account of the simulated population. */
export interface SimAccount {
  accountId: string;
  /** The account's own number (E.164). */
  number: string;
  /** Hours from UTC of the account holder's local time (negative west of Greenwich). */
  utcOffsetHours: number;
}

/** Something an account does at one moment (a call, a burst of messages); its events are at or after `at`. */
export interface Activity {
  at: number;
  events: TelemetryEvent[];
}

/** How hard the abusive personas push: both knobs leave legitimate personas alone. */
export interface AbuseKnobs {
  /** Multiplies the abusive rate or volume (1 = the persona's typical level). */
  intensity: number;
  /** 0 = blatant; 1 = jittered, spread out and held near the limits, as an abuser who knows the rules would. */
  subtlety: number;
}

/** What a persona's generator is given: its accounts, its own random stream, the window and the knobs. */
export interface GroupContext {
  accounts: readonly SimAccount[];
  draw: Draw;
  start: number;
  end: number;
  knobs: AbuseKnobs;
  /** Event builders, one per account of the group, with event ids of the group's own. */
  builders: readonly TrafficBuilder[];
  /** Marks the moment an account's abuse began (the first call counts; later calls are ignored). */
  abuseStarts(accountId: string, at: number): void;
}

export interface PersonaDef {
  name: string;
  kind: PersonaKind;
  /** One line for the labels file and the report. */
  description: string;
  /** For abusive personas, the categories the detectors should flag it under. */
  categories: readonly Category[];
  /** A heavy or unusual legitimate user that some rule was tuned to spare (docs/rules.md, "tuned against"). */
  lookAlike?: boolean;
  /** How many accounts one group of this persona has (1 for most). */
  groupSize(draw: Draw): number;
  /** The group's activities in order of `at` (a generator, so a day of traffic is never held whole). */
  run(ctx: GroupContext): Iterable<Activity>;
}
