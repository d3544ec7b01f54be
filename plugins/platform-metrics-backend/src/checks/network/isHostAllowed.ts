const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The hostname in canonical form (lower case, no trailing dot), or undefined
 * when it is not a DNS hostname: IP literals, ports, user info and anything
 * else a URL could smuggle are refused rather than interpreted.
 */
export function normalizeHostname(hostname: string): string | undefined {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name.length === 0 || name.length > 253) return undefined;
  const labels = name.split('.');
  if (!labels.every(label => LABEL.test(label))) return undefined;
  // A last label of digits only makes it an IPv4 literal in URL parsers.
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return undefined;
  return name;
}

/**
 * Whether a probe may go to `hostname`: it equals one of the allowed domains
 * or is a subdomain of one. `evilapps.acme.example` is not inside
 * `apps.acme.example`.
 */
export function isHostAllowed(
  hostname: string,
  allowedDomains: readonly string[],
): boolean {
  const name = normalizeHostname(hostname);
  if (!name) return false;
  return allowedDomains.some(
    domain => name === domain || name.endsWith(`.${domain}`),
  );
}
