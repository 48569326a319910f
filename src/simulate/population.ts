import type { PersonaDef, SimAccount } from './persona';
import { accountNumber } from './numbers';
import { ABUSIVE_PERSONAS, LOOK_ALIKE_PERSONAS } from './personas';
import { ordinary } from './personas/legitimate-people';
import { childSeed, Draw, Random } from './random';

/**
 * Who is in the simulated population: groups of accounts, each of one
 * persona. Every abusive and every look-alike persona appears at least once
 * (so a small population still covers every category), then more of them in
 * turn until their shares are reached; ordinary people make up the rest.
 * Groups are shuffled before ids are given out, so an id says nothing about
 * its persona.
 */
export interface PopulationOptions {
  accounts: number;
  seed: number;
  /** Share of accounts in abusive personas (0 for none). */
  abuseShare: number;
  /** Share of accounts in heavy or unusual legitimate personas (0 for none). */
  lookAlikeShare: number;
}

export interface GroupPlan {
  index: number;
  persona: PersonaDef;
  accounts: SimAccount[];
  seed: number;
}

/** Local time of the account holders: the four mainland US zones, by population. */
const UTC_OFFSETS: readonly (readonly [number, number])[] = [
  [-5, 0.47],
  [-6, 0.29],
  [-7, 0.07],
  [-8, 0.17],
];

function fill(draw: Draw, personas: readonly PersonaDef[], target: number): { persona: PersonaDef; size: number }[] {
  const groups: { persona: PersonaDef; size: number }[] = [];
  if (target <= 0) return groups;
  let accounts = 0;
  for (let i = 0; i < personas.length || accounts < target; i++) {
    const persona = personas[i % personas.length] as PersonaDef;
    const size = persona.groupSize(draw);
    groups.push({ persona, size });
    accounts += size;
  }
  return groups;
}

/** The accounts every persona needs at least once, for a share above 0. */
export function minimumAccounts(opts: Pick<PopulationOptions, 'abuseShare' | 'lookAlikeShare'>): number {
  // Group sizes are drawn: count each persona at its largest.
  const largest = (ps: readonly PersonaDef[]): number => ps.reduce((sum, p) => sum + Math.max(...Array.from({ length: 64 }, (_, i) => p.groupSize(new Draw(new Random(i))))), 0);
  return (opts.abuseShare > 0 ? largest(ABUSIVE_PERSONAS) : 0) + (opts.lookAlikeShare > 0 ? largest(LOOK_ALIKE_PERSONAS) : 0);
}

export function planPopulation(opts: PopulationOptions): GroupPlan[] {
  const draw = new Draw(new Random(childSeed(opts.seed, 0x5eed)));
  const chosen = [...fill(draw, ABUSIVE_PERSONAS, Math.round(opts.accounts * opts.abuseShare)), ...fill(draw, LOOK_ALIKE_PERSONAS, Math.round(opts.accounts * opts.lookAlikeShare))];
  const special = chosen.reduce((sum, g) => sum + g.size, 0);
  if (special > opts.accounts) {
    throw new RangeError(`${opts.accounts} accounts cannot hold one of every persona (${special} needed): raise the number of accounts or lower the shares`);
  }
  for (let i = special; i < opts.accounts; i++) chosen.push({ persona: ordinary, size: 1 });
  for (let i = chosen.length - 1; i > 0; i--) {
    const j = draw.rnd.int(0, i + 1);
    [chosen[i], chosen[j]] = [chosen[j] as (typeof chosen)[number], chosen[i] as (typeof chosen)[number]];
  }
  let next = 0;
  return chosen.map(({ persona, size }, index) => {
    const accounts = Array.from({ length: size }, () => {
      const n = next++;
      return { accountId: `acct-${String(n).padStart(6, '0')}`, number: accountNumber(n), utcOffsetHours: draw.weighted(UTC_OFFSETS) };
    });
    return { index, persona, accounts, seed: childSeed(opts.seed, index) };
  });
}
