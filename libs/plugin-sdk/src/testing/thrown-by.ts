/**
 * The error of type `type` that `run` throws, for assertions on its fields (`param`, `event` …).
 * Anything else thrown, or nothing thrown, fails the test.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function thrownBy<E extends Error>(run: () => unknown, type: new (...args: any[]) => E): E {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name} to be thrown`);
}
