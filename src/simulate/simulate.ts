import type { TelemetryEvent } from '../events/types';
import { GroupStream, mergeByEventTime } from './group-stream';
import type { AccountLabel } from './labels';
import type { AbuseKnobs, GroupContext } from './persona';
import { planPopulation, type GroupPlan, type PopulationOptions } from './population';
import { Draw, Random } from './random';
import { IdSource, TrafficBuilder } from './traffic-builder';

/**
 * A labelled, realistic population's telemetry: legitimate people with
 * human rhythms, heavy legitimate users, and abusive personas of every
 * category, as one stream of contract events in event-time order. The same
 * options give the same events, byte for byte. Events are made as the
 * stream is read, group by group, so memory stays flat however long the
 * window or large the population.
 */
export interface SimulationOptions extends PopulationOptions {
  /** Start of the window (ms since the epoch). */
  start: number;
  hours: number;
  knobs: AbuseKnobs;
}

export interface Simulation {
  groups: readonly GroupPlan[];
  /** The events, in event-time order; a single pass. */
  events: Iterable<TelemetryEvent>;
  /** One label per account; first-abuse times are complete once `events` has been read to the end. */
  labels(): AccountLabel[];
  start: number;
  end: number;
}

export function simulate(opts: SimulationOptions): Simulation {
  const groups = planPopulation(opts);
  const start = opts.start;
  const end = start + opts.hours * 3_600_000;
  const firstAbuse = new Map<string, number>();
  const streams = groups.map((g) => {
    const lead = g.accounts[0]?.accountId ?? `group-${g.index}`;
    const ids = new IdSource(lead);
    const ctx: GroupContext = {
      accounts: g.accounts,
      draw: new Draw(new Random(g.seed)),
      start,
      end,
      knobs: opts.knobs,
      builders: g.accounts.map((a) => new TrafficBuilder(a, `dev-${a.accountId}`, ids)),
      abuseStarts(accountId, instant) {
        // Event times are whole milliseconds, as the builders round them.
        const at = Math.round(instant);
        if (at >= end) return;
        const seen = firstAbuse.get(accountId);
        if (seen === undefined || at < seen) firstAbuse.set(accountId, at);
      },
    };
    return new GroupStream(g.persona.run(ctx), end, g.persona.name);
  });
  return {
    groups,
    start,
    end,
    events: { [Symbol.iterator]: () => mergeByEventTime(streams) },
    labels: () =>
      groups.flatMap((g) =>
        g.accounts.map((a) => ({
          accountId: a.accountId,
          persona: g.persona.name,
          label: g.persona.kind,
          categories: [...g.persona.categories],
          firstAbusiveEventTime: g.persona.kind === 'abusive' ? (firstAbuse.get(a.accountId) ?? null) : null,
          group: g.accounts[0]?.accountId ?? a.accountId,
          lookAlike: g.persona.lookAlike === true,
        })),
      ),
  };
}
