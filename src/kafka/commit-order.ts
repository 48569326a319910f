/**
 * The order a fetch's partitions commit in: those with violations to publish
 * first, each group in the order given (the order their batches came in). A
 * violation reaches enforcement when its transaction commits, and the commits
 * of one fetch go one after another; the partitions with nothing but state
 * and offsets to commit can wait a few milliseconds without anyone noticing.
 */
export function violationsFirst<T extends { readonly uncommitted: { readonly violations: readonly unknown[] } }>(tasks: Iterable<T>): T[] {
  const first: T[] = [];
  const then: T[] = [];
  for (const task of tasks) (task.uncommitted.violations.length > 0 ? first : then).push(task);
  return first.concat(then);
}
