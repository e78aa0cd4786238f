/**
 * Waits until `check` holds (a thrown error counts as "not yet"), looking every `everyMs`; fails
 * naming `what` after `timeoutMs`. Tests wait on a condition instead of sleeping for a guessed time:
 * a sleep is either too short on a busy machine or longer than needed everywhere else.
 */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Polls `read` until `done(value)` holds and returns that value; fails with `describe(lastValue)` after `timeoutMs`. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  describe: (last: T | undefined) => string,
): Promise<T> {
  let last: T | undefined;
  try {
    await waitUntil(async () => done((last = await read())), timeoutMs, 'a condition');
  } catch (error) {
    throw new Error(`${describe(last)}: ${(error as Error).message}`);
  }
  return last as T;
}
