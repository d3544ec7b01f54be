import type { CheckOutcome, CheckTarget } from '../ServiceCheck';
import { addressRange } from './addressRange';
import { isHostAllowed, normalizeHostname } from './isHostAllowed';
import { createProbeResolver, resolveHostname } from './resolveHostname';
import { describeAbort } from './withDeadline';

export type GuardedLookup =
  | { allowed: true; hostname: string; addresses: string[] }
  | { allowed: false; outcome: CheckOutcome };

export type GuardedAddress =
  | { allowed: true; hostname: string; address: string }
  | { allowed: false; outcome: CheckOutcome };

export interface ProbeGuardOptions {
  allowedDomains: string[];
  allowPrivateAddresses: boolean;
  /** `host[:port]` of the DNS servers; the system's when undefined. */
  resolverServers?: string[];
  timeoutMs: number;
}

/**
 * Where probes derived from catalog data may go. A catalog entity's
 * "Production" link is user-editable, so every hostname probe passes here:
 * the hostname must be inside `allowedDomains`, it is resolved once through
 * the configured resolver, and every address it resolves to must be public
 * (unless private addresses are allowed). Probes then connect to the address
 * returned here, never resolving the name again.
 */
export class ProbeGuard {
  private readonly resolver: ReturnType<typeof createProbeResolver>;

  private constructor(private readonly options: ProbeGuardOptions) {
    this.resolver = createProbeResolver({
      servers: options.resolverServers,
      timeoutMs: options.timeoutMs,
    });
  }

  static create(options: ProbeGuardOptions): ProbeGuard {
    return new ProbeGuard(options);
  }

  /** Words for the detail: which resolver answered. */
  get resolverName(): string {
    const servers = this.options.resolverServers;
    return servers
      ? `the resolver ${servers.join(', ')}`
      : 'the system resolver';
  }

  /** Checks the hostname and resolves it; no address check (see `pin`). */
  async lookup(
    target: CheckTarget,
    signal: AbortSignal,
  ): Promise<GuardedLookup> {
    const refusal = this.refuseHostname(target);
    if (refusal) return { allowed: false, outcome: refusal };
    const hostname = normalizeHostname(target.hostname!)!;
    const resolution = await resolveHostname(this.resolver, hostname, signal);
    if (resolution.kind === 'addresses') {
      return { allowed: true, hostname, addresses: resolution.addresses };
    }
    if (resolution.kind === 'not-found') {
      return {
        allowed: false,
        outcome: {
          status: 'fail',
          detail: `${hostname} has no A or AAAA record at ${this.resolverName}. Check the DNS record that external-dns publishes for the service's Ingress.`,
        },
      };
    }
    let why = `failed (${resolution.reason})`;
    if (signal.aborted) why = describeAbort(signal, this.options.timeoutMs);
    else if (resolution.reason === 'ETIMEOUT') {
      why = `did not answer within ${this.options.timeoutMs} ms`;
    }
    return {
      allowed: false,
      outcome: {
        status: 'unknown',
        detail: `Resolving ${hostname} through ${this.resolverName} ${why}; the check will try again.`,
      },
    };
  }

  /** The address a probe of `target` may connect to, or why it may not. */
  async pin(target: CheckTarget, signal: AbortSignal): Promise<GuardedAddress> {
    const lookup = await this.lookup(target, signal);
    if (!lookup.allowed) return lookup;
    if (!this.options.allowPrivateAddresses) {
      const refused = lookup.addresses
        .map(address => ({ address, range: addressRange(address) }))
        .filter(({ range }) => range !== 'unicast');
      if (refused.length > 0) {
        const list = refused
          .map(({ address, range }) => `${address} (${range})`)
          .join(', ');
        return {
          allowed: false,
          outcome: {
            status: 'fail',
            detail: `${lookup.hostname} resolves to ${list}, not a public address, so the portal does not probe it. A production hostname must resolve to public addresses only; if the platform serves services on a private network, set platformMetrics.checks.allowPrivateAddresses.`,
          },
        };
      }
    }
    return {
      allowed: true,
      hostname: lookup.hostname,
      address: lookup.addresses[0],
    };
  }

  private refuseHostname(target: CheckTarget): CheckOutcome | undefined {
    if (!target.hostname) {
      return {
        status: 'fail',
        detail: `${target.entityRef} has no production hostname. Add a link titled "Production" with the service's https:// URL to its catalog-info.yaml.`,
      };
    }
    if (!normalizeHostname(target.hostname)) {
      return {
        status: 'fail',
        detail: `The production link of ${target.entityRef} names "${target.hostname}", which is not a DNS hostname. Use the service's https://<hostname> URL.`,
      };
    }
    if (!isHostAllowed(target.hostname, this.options.allowedDomains)) {
      const domains = this.options.allowedDomains;
      return {
        status: 'fail',
        detail:
          domains.length === 0
            ? `The portal probes no hostname because platformMetrics.checks.allowedDomains (or goldenPath.baseDomain) is not configured.`
            : `${
                target.hostname
              } is outside the domains the portal may probe (${domains.join(
                ', ',
              )}). Serve the service under one of them, or ask the platform team to add its domain to platformMetrics.checks.allowedDomains.`,
      };
    }
    return undefined;
  }
}
