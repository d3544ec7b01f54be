/** Why a probe got no answer; a probe never rejects, it returns this. */
export interface ProbeError {
  kind: 'error';
  /** `aborted`: the signal fired (see `describeAbort` for why). */
  reason: 'aborted' | 'network';
  /** Node's error code (`ECONNREFUSED`, `CERT_HAS_EXPIRED`, ...) when it has one. */
  code?: string;
  message: string;
}

/**
 * A socket error as a probe reports it. Once the signal has fired the error is
 * only the teardown the abort caused, so its own code would mislead.
 */
export function probeError(
  error: NodeJS.ErrnoException,
  signal: AbortSignal,
): ProbeError {
  return signal.aborted
    ? { kind: 'error', reason: 'aborted', message: 'aborted' }
    : {
        kind: 'error',
        reason: 'network',
        code: error.code,
        message: error.message,
      };
}
