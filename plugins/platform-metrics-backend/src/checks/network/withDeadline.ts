/**
 * A signal that aborts when the caller's does or when `timeoutMs` has passed,
 * whichever comes first. One deadline covers a whole probe (resolution,
 * connection, response), so a slow resolver cannot stretch it.
 */
export function withDeadline(
  signal: AbortSignal,
  timeoutMs: number,
): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
}

/** Why a probe stopped early, in words for a check's detail. */
export function describeAbort(signal: AbortSignal, timeoutMs: number): string {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError'
    ? `did not answer within ${timeoutMs} ms`
    : 'was cancelled before it answered';
}
