import { promises as dns } from 'node:dns';

export type HostResolution =
  | { kind: 'addresses'; addresses: string[] }
  /** The resolver answered: no such name, or no A/AAAA record. */
  | { kind: 'not-found' }
  /** The resolver could not give an answer (timeout, unreachable, SERVFAIL). */
  | { kind: 'failed'; reason: string };

const NOT_FOUND = new Set<string>([dns.NOTFOUND, dns.NODATA]);

/**
 * Resolves A and AAAA records of `hostname` through `servers` (the system's
 * resolv.conf servers when undefined). c-ares, not getaddrinfo: it has its own
 * timeout and does not hold a libuv thread per query, so thousands of checks
 * cannot starve file I/O. It does not read /etc/hosts.
 */
export async function resolveHostname(
  hostname: string,
  options: { servers?: string[]; timeoutMs: number; signal: AbortSignal },
): Promise<HostResolution> {
  const resolver = new dns.Resolver({ timeout: options.timeoutMs, tries: 1 });
  if (options.servers) resolver.setServers(options.servers);
  const cancel = () => resolver.cancel();
  if (options.signal.aborted) return { kind: 'failed', reason: 'cancelled' };
  options.signal.addEventListener('abort', cancel, { once: true });
  try {
    const answers = await Promise.allSettled([
      resolver.resolve4(hostname),
      resolver.resolve6(hostname),
    ]);
    const addresses = answers.flatMap(answer =>
      answer.status === 'fulfilled' ? answer.value : [],
    );
    if (addresses.length > 0) return { kind: 'addresses', addresses };
    const codes = answers.map(answer =>
      answer.status === 'rejected'
        ? String((answer.reason as NodeJS.ErrnoException).code)
        : dns.NODATA,
    );
    if (codes.every(code => NOT_FOUND.has(code))) return { kind: 'not-found' };
    const failure = codes.find(code => !NOT_FOUND.has(code))!;
    return {
      kind: 'failed',
      reason: failure === dns.CANCELLED ? 'cancelled' : failure,
    };
  } finally {
    options.signal.removeEventListener('abort', cancel);
  }
}
