/** Runs `fn`, expecting it to throw an instance of `type`; returns that error for closer assertions. */
export function caught<E extends Error>(type: new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (err) {
    if (err instanceof type) return err;
    throw err;
  }
  throw new Error(`expected a ${type.name}`);
}
