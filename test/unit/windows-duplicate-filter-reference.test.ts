import { DuplicateFilter, type DuplicateFilterData, type DuplicateVerdict } from '../../src/engine/windows';
import { Random } from '../../src/simulate/random';

/**
 * The first DuplicateFilter (a ring plus a Set, a delete and an add per new
 * id), kept as the reference: the open-addressing filter that replaced it for speed
 * must give exactly its verdicts, sizes and plain data.
 */
class ReferenceFilter {
  private readonly ids: string[] = [];
  private readonly seen = new Set<string>();
  private next = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.seen.size;
  }

  has(id: string): boolean {
    return this.seen.has(id);
  }

  check(id: string): DuplicateVerdict {
    if (this.seen.has(id)) return 'duplicate';
    if (this.ids.length < this.capacity) {
      this.ids.push(id);
    } else {
      const oldest = this.ids[this.next];
      if (oldest !== undefined) this.seen.delete(oldest);
      this.ids[this.next] = id;
      this.next = (this.next + 1) % this.capacity;
    }
    this.seen.add(id);
    return 'new';
  }

  toData(): DuplicateFilterData {
    return { capacity: this.capacity, ids: [...this.ids], next: this.next };
  }
}

/** The reference restored as the filter restores: the ring's ids replayed oldest first into a fresh one. */
function referenceFrom(data: DuplicateFilterData, capacity: number): ReferenceFilter {
  const reference = new ReferenceFilter(capacity);
  const next = data.ids.length > 0 ? data.next % data.ids.length : 0;
  data.ids.slice(next).concat(data.ids.slice(0, next)).forEach((id) => reference.check(id));
  return reference;
}

/** Ids drawn from `alphabet` distinct values: a small alphabet repeats ids often, both within and beyond the capacity. */
function stream(seed: number, length: number, alphabet: number): string[] {
  const rnd = new Random(seed);
  return Array.from({ length }, () => `e-${rnd.int(0, alphabet)}`);
}

/** Feeds `ids` to both, comparing every verdict, and the remembered set and size every so often. */
function feedBoth(filter: DuplicateFilter, reference: ReferenceFilter, ids: readonly string[], alphabet: number): void {
  ids.forEach((id, i) => {
    expect(filter.check(id)).toBe(reference.check(id));
    if (i % 97 === 0) {
      expect(filter.size).toBe(reference.size);
      for (let a = 0; a < alphabet; a++) expect(filter.has(`e-${a}`)).toBe(reference.has(`e-${a}`));
    }
  });
  expect(filter.toData()).toEqual(reference.toData());
}

describe('duplicate filter against the ring-and-Set reference', () => {
  const cases = [
    { capacity: 1, alphabet: 3 },
    { capacity: 2, alphabet: 5 },
    { capacity: 7, alphabet: 10 },
    { capacity: 16, alphabet: 40 },
    { capacity: 50, alphabet: 60 },
    { capacity: 100, alphabet: 1000 },
  ];

  it.each(cases)('gives the same verdicts on random id streams (capacity $capacity, $alphabet ids)', ({ capacity, alphabet }) => {
    for (let seed = 1; seed <= 5; seed++) {
      feedBoth(new DuplicateFilter(capacity), new ReferenceFilter(capacity), stream(seed, 3000, alphabet), alphabet);
    }
  });

  it.each(cases)('and the same after toData/fromData, at the same or another capacity (capacity $capacity)', ({ capacity, alphabet }) => {
    for (let seed = 11; seed <= 14; seed++) {
      const ids = stream(seed, 4000, alphabet);
      const filter = new DuplicateFilter(capacity);
      const reference = new ReferenceFilter(capacity);
      feedBoth(filter, reference, ids.slice(0, 1500), alphabet);
      for (const restoredCapacity of [capacity, Math.max(1, Math.floor(capacity / 2)), capacity * 2 + 1]) {
        const data = structuredClone(filter.toData());
        feedBoth(DuplicateFilter.fromData(data, restoredCapacity), referenceFrom(data, restoredCapacity), ids.slice(1500), alphabet);
      }
    }
  });
});
