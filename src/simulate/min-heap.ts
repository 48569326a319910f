/**
 * A binary min-heap ordered by a numeric key. The simulator keeps one per
 * account (events of calls still in progress) and one across accounts (the
 * merge by event time), so it must be small and allocation-free per push.
 */
export class MinHeap<T> {
  private readonly items: T[] = [];
  private readonly keys: number[] = [];

  get size(): number {
    return this.items.length;
  }

  peekKey(): number | undefined {
    return this.keys[0];
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T, key: number): void {
    this.items.push(item);
    this.keys.push(key);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    const top = this.items[0];
    const lastItem = this.items.pop();
    const lastKey = this.keys.pop();
    if (this.items.length > 0 && lastItem !== undefined && lastKey !== undefined) {
      this.items[0] = lastItem;
      this.keys[0] = lastKey;
      this.down(0);
    }
    return top;
  }

  private key(i: number): number {
    return this.keys[i] ?? Number.POSITIVE_INFINITY;
  }

  private swap(a: number, b: number): void {
    const item = this.items[a] as T;
    this.items[a] = this.items[b] as T;
    this.items[b] = item;
    const key = this.key(a);
    this.keys[a] = this.key(b);
    this.keys[b] = key;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.key(parent) <= this.key(i)) return;
      this.swap(parent, i);
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < this.items.length && this.key(l) < this.key(least)) least = l;
      if (r < this.items.length && this.key(r) < this.key(least)) least = r;
      if (least === i) return;
      this.swap(least, i);
      i = least;
    }
  }
}
