import type { CheckOutcome, CheckTarget } from '../ServiceCheck';
import type { TrustedCas } from '../network/loadTrustedCas';
import type { ProbeGuard } from '../network/ProbeGuard';
import { describeAbort, withDeadline } from '../network/withDeadline';

/** What a probe of the service's production endpoint is given. */
export interface PinnedProbe {
  hostname: string;
  /** The address the guard checked: connect to it, never resolve again. */
  address: string;
  /** PEM CAs replacing the system's; undefined to use the system's. */
  ca?: string;
  /** Fires at the probe's deadline or when the run is cancelled. */
  signal: AbortSignal;
  /** The outcome when `what` stopped on `signal`: no verdict, retried later. */
  aborted(what: string): CheckOutcome;
}

/**
 * Runs a probe (health, tls) against the production hostname's address, once
 * the configured CAs are readable and the guard allows the address. One
 * deadline covers resolution and the probe.
 */
export async function probePinnedAddress(
  options: { guard: ProbeGuard; cas: TrustedCas; timeoutMs: number },
  target: CheckTarget,
  outer: AbortSignal,
  probe: (pinned: PinnedProbe) => Promise<CheckOutcome>,
): Promise<CheckOutcome> {
  const { guard, cas, timeoutMs } = options;
  if (cas.kind === 'unreadable') {
    return { status: 'unknown', detail: cas.problem };
  }
  const signal = withDeadline(outer, timeoutMs);
  const pinned = await guard.pin(target, signal);
  if (!pinned.allowed) return pinned.outcome;
  return probe({
    hostname: pinned.hostname,
    address: pinned.address,
    ca: cas.kind === 'file' ? cas.pem : undefined,
    signal,
    aborted: what => ({
      status: 'unknown',
      detail: `${what} ${describeAbort(
        signal,
        timeoutMs,
      )}; the check will try again.`,
    }),
  });
}
