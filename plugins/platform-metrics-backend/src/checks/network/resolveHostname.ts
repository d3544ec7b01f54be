import { promises as dns } from 'node:dns';

export type HostResolution =
  | { kind: 'addresses'; addresses: string[] }
  /** The resolver answered: no such name, or no A/AAAA record. */
  | { kind: 'not-found' }
  /** No answer: timeout, resolver unreachable or refusing, SERVFAIL, or cancelled. */
  | { kind: 'failed'; reason: string };

const NOT_FOUND = new Set<string>([dns.NOTFOUND, dns.NODATA]);

/**
 * A c-ares resolver for the probes, not getaddrinfo: it has its own timeout
 * and does not hold a libuv thread per query, so thousands of checks cannot
 * starve file I/O. It asks `servers` (the system's resolv.conf servers when
 * undefined) and does not read /etc/hosts. One is shared by every probe.
 */
export function createProbeResolver(options: {
  servers?: string[];
  timeoutMs: number;
}): dns.Resolver {
  const resolver = new dns.Resolver({ timeout: options.timeoutMs, tries: 1 });
  if (options.servers) resolver.setServers(options.servers);
  return resolver;
}

/**
 * Resolves A and AAAA records of `hostname`. When `signal` aborts, it stops
 * waiting; the query itself ends at the resolver's own timeout (cancelling it
 * would cancel every other probe's query on the shared resolver).
 */
export async function resolveHostname(
  resolver: dns.Resolver,
  hostname: string,
  signal: AbortSignal,
): Promise<HostResolution> {
  if (signal.aborted) return { kind: 'failed', reason: 'cancelled' };
  let onAbort = () => {};
  const aborted = new Promise<HostResolution>(resolve => {
    onAbort = () => resolve({ kind: 'failed', reason: 'cancelled' });
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([resolveBoth(resolver, hostname), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function resolveBoth(
  resolver: dns.Resolver,
  hostname: string,
): Promise<HostResolution> {
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
  const failure = codes.find(code => !NOT_FOUND.has(code));
  return failure ? { kind: 'failed', reason: failure } : { kind: 'not-found' };
}
