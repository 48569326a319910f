import { NO_ID } from '../../src/engine/key-index';
import { RecencyLog } from '../../src/engine/recency-log';
import { Random } from '../../src/simulate/random';

/** The order a list relinked on every touch keeps: the model the log must match. */
class ModelOrder {
  readonly order: number[] = [];
  touch(slot: number): void {
    const i = this.order.indexOf(slot);
    if (i >= 0) this.order.splice(i, 1);
    this.order.push(slot);
  }
  remove(slot: number): void {
    const i = this.order.indexOf(slot);
    if (i >= 0) this.order.splice(i, 1);
  }
}

describe('RecencyLog', () => {
  it('orders slots least recently touched first, a touch of the newest moving nothing', () => {
    const log = new RecencyLog(8);
    for (const s of [3, 1, 4, 1, 5]) log.touch(s);
    expect([...log.slots()]).toEqual([3, 4, 1, 5]);
    log.touch(5);
    expect([...log.slots()]).toEqual([3, 4, 1, 5]);
    expect(log.oldest()).toBe(3);
    log.remove(3);
    log.remove(1);
    expect(log.oldest()).toBe(4);
    expect([...log.slots()]).toEqual([4, 5]);
    log.remove(4);
    log.remove(5);
    expect(log.oldest()).toBe(NO_ID);
    expect([...log.slots()]).toEqual([]);
  });

  it('keeps the order of a relinked list through compactions and growth, over random touches and removals', () => {
    const slots = 300;
    const rng = new Random(7);
    const next = (): number => rng.next();
    const log = new RecencyLog(64);
    let room = 64;
    const model = new ModelOrder();
    for (let step = 0; step < 60_000; step++) {
      // Few hot slots most of the time, so the log fills with stale entries and compacts often.
      const slot = next() < 0.7 ? Math.floor(next() * 20) : Math.floor(next() * slots);
      if (slot >= room) {
        room = slots;
        log.growSlots(room);
      }
      const op = next();
      if (op < 0.1) {
        log.remove(slot);
        model.remove(slot);
      } else if (op < 0.15) {
        // The oldest, as the store evicts it.
        const oldest = log.oldest();
        expect(oldest).toBe(model.order[0] ?? NO_ID);
        if (oldest !== NO_ID) {
          log.remove(oldest);
          model.remove(oldest);
        }
      } else {
        log.touch(slot);
        model.touch(slot);
      }
      if (step % 997 === 0) expect([...log.slots()]).toEqual(model.order);
    }
    expect([...log.slots()]).toEqual(model.order);
    // Bounded: about 2.7 entries per slot in the order at most, beside the initial room.
    expect(log.capacity).toBeLessThanOrEqual(Math.max(2048, 4 * slots));
  });

  it('compacts rather than grows while the slots in the order stay few', () => {
    const log = new RecencyLog(4);
    for (let i = 0; i < 100_000; i++) log.touch(i % 3);
    // The last touches were of 1, 2, then 0 (99,999 is a multiple of 3).
    expect([...log.slots()]).toEqual([1, 2, 0]);
    expect(log.capacity).toBe(2048);
  });
});
