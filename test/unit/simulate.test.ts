import { CATEGORIES, type TelemetryEvent } from '../../src/events/types';
import { validateEvent } from '../../src/events/validate';
import { ABUSIVE_PERSONAS, LOOK_ALIKE_PERSONAS } from '../../src/simulate/personas';
import { simulate, type SimulationOptions } from '../../src/simulate/simulate';

/** The simulator: deterministic for a seed, contract-valid, in event-time order, and labelled consistently. */
const BASE: SimulationOptions = { accounts: 250, seed: 7, abuseShare: 0.05, lookAlikeShare: 0.1, start: Date.UTC(2026, 0, 5, 12), hours: 6, knobs: { intensity: 1, subtlety: 0 } };

function run(opts: SimulationOptions): { lines: string[]; events: TelemetryEvent[]; sim: ReturnType<typeof simulate> } {
  const sim = simulate(opts);
  const events = [...sim.events];
  return { lines: events.map((e) => JSON.stringify(e)), events, sim };
}

describe('simulate', () => {
  const first = run(BASE);

  it('gives the same bytes for the same seed, and different traffic for another seed', () => {
    expect(run(BASE).lines.join('\n')).toBe(first.lines.join('\n'));
    const other = run({ ...BASE, seed: 8 }).lines;
    expect(other.join('\n')).not.toBe(first.lines.join('\n'));
    expect(first.lines.length).toBeGreaterThan(5000);
  });

  it('emits valid contract events in event-time order, each id once', () => {
    expect(first.events.every((e, i) => i === 0 || e.eventTime >= (first.events[i - 1]?.eventTime ?? 0))).toBe(true);
    // validateEvent throws, naming the field, on the first event that breaks the contract.
    for (const line of first.lines) validateEvent(JSON.parse(line));
    expect(new Set(first.events.map((e) => e.eventId)).size).toBe(first.events.length);
    expect(new Set(first.events.map((e) => e.type))).toEqual(new Set(['call', 'message', 'registration', 'report']));
    // Every activity starts in the window; only the tail of a call begun in it runs past the end.
    expect(first.events.filter((e) => e.eventTime < first.sim.start)).toEqual([]);
  });

  it('labels every account once, and only accounts it has', () => {
    const labels = first.sim.labels();
    expect(labels).toHaveLength(BASE.accounts);
    expect(new Set(labels.map((l) => l.accountId)).size).toBe(BASE.accounts);
    const labelled = new Set(labels.map((l) => l.accountId));
    expect(first.events.filter((e) => !labelled.has(e.accountId))).toEqual([]);
  });

  it('puts every abusive and heavy persona in the population and covers every category', () => {
    const labels = first.sim.labels();
    const personas = new Set(labels.map((l) => l.persona));
    for (const p of [...ABUSIVE_PERSONAS, ...LOOK_ALIKE_PERSONAS]) expect(personas).toContain(p.name);
    expect(new Set(labels.flatMap((l) => l.categories))).toEqual(new Set(CATEGORIES));
    const abusive = labels.filter((l) => l.label === 'abusive').length;
    expect(abusive).toBeGreaterThanOrEqual(BASE.accounts * BASE.abuseShare);
    expect(labels.filter((l) => l.label === 'legitimate').every((l) => l.categories.length === 0 && l.firstAbusiveEventTime === null)).toBe(true);
  });

  it("gives each abusive account its first abusive event's time, an event of that account in the window", () => {
    const times = new Map<string, Set<number>>();
    for (const e of first.events) times.set(e.accountId, (times.get(e.accountId) ?? new Set()).add(e.eventTime));
    const abusive = first.sim.labels().filter((l) => l.label === 'abusive');
    const missing = abusive.filter((l) => l.firstAbusiveEventTime === null || !times.get(l.accountId)?.has(l.firstAbusiveEventTime));
    expect(missing.map((l) => l.persona)).toEqual([]);
    for (const l of abusive) expect(l.firstAbusiveEventTime).toBeLessThan(first.sim.end);
  });

  it('pushes harder with intensity and refuses a population too small for every persona', () => {
    const count = (intensity: number): number => [...simulate({ ...BASE, accounts: 150, lookAlikeShare: 0, knobs: { intensity, subtlety: 0 } }).events].filter((e) => e.type === 'message').length;
    expect(count(2)).toBeGreaterThan(count(1) * 1.3);
    expect(() => simulate({ ...BASE, accounts: 20 })).toThrow(/cannot hold one of every persona/);
  });
});
