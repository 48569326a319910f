import type { History } from '../enforcement/enforcer';
import type { KeyState, PartitionState, PipelineChanges } from './state-changes';
import type { WatermarksData } from './windows/watermarks';

/**
 * Folds changelog entries, oldest first, into the state a partition had at
 * the last one: the latest value per key wins and a deletion removes it, as
 * log compaction would. Re-inserting on every write keeps the maps in order
 * of last write, which restoreState() turns back into recency order.
 */
export class PartitionStateBuilder {
  private readonly keys = new Map<string, KeyState>();
  private readonly history = new Map<string, History>();
  private readonly published = new Set<string>();
  private clock: WatermarksData | undefined;
  /** Entries applied, deletions included. */
  entries = 0;

  key(key: string, state: KeyState | null): void {
    this.entries++;
    this.keys.delete(key);
    if (state) this.keys.set(key, state);
  }

  historyEntry(key: string, history: History | null): void {
    this.entries++;
    this.history.delete(key);
    if (history) this.history.set(key, history);
  }

  publishedId(id: string, present: boolean): void {
    this.entries++;
    this.published.delete(id);
    if (present) this.published.add(id);
  }

  setClock(clock: WatermarksData): void {
    this.entries++;
    this.clock = clock;
  }

  /** Applies what Pipeline.takeChanges() returned (tests, and any in-process changelog). */
  changes(changes: PipelineChanges): void {
    for (const [key, state] of changes.keys) this.key(key, state);
    for (const [key, h] of changes.enforcer.history) this.historyEntry(key, h);
    for (const [id, present] of changes.enforcer.published) this.publishedId(id, present);
    this.setClock(changes.clock);
  }

  build(): PartitionState {
    return { keys: new Map(this.keys), enforcer: { published: [...this.published], history: [...this.history] }, clock: this.clock };
  }
}
