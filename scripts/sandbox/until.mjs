const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Calls `probe` every `intervalMs` until it returns a truthy value, and returns
 * that value. A probe that is not satisfied yet may throw an Error saying what
 * it saw: on timeout the error names `what` and that last message, so that a
 * failing step says why.
 *
 * @template T
 * @param {string} what
 * @param {() => Promise<T>} probe
 * @param {{ timeoutMs?: number, intervalMs?: number }} [options]
 */
export async function until(
  what,
  probe,
  { timeoutMs = 60_000, intervalMs = 500 } = {},
) {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing yet';
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = `got ${JSON.stringify(value)}`;
    } catch (error) {
      last = error.message;
    }
    if (Date.now() >= deadline) break;
    await sleep(intervalMs);
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000} s waiting for ${what}: ${last}`,
  );
}
