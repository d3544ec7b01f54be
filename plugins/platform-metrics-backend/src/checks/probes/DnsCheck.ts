import type { CheckOutcome, CheckTarget, ServiceCheck } from '../ServiceCheck';
import type { ProbeGuard } from '../network/ProbeGuard';
import { withDeadline } from '../network/withDeadline';

export interface DnsCheckOptions {
  enabled: boolean;
  guard: ProbeGuard;
  timeoutMs: number;
}

/**
 * `dns`: the production hostname has an A or AAAA record at the configured
 * resolver. Whether those addresses may be probed is the other checks'
 * concern: a name that resolves passes here even when it points somewhere the
 * portal will not connect to.
 */
export class DnsCheck implements ServiceCheck {
  readonly id = 'dns';
  readonly configured: boolean;

  private constructor(private readonly options: DnsCheckOptions) {
    this.configured = options.enabled;
  }

  static create(options: DnsCheckOptions): DnsCheck {
    return new DnsCheck(options);
  }

  async run(
    target: CheckTarget,
    { signal }: { signal: AbortSignal },
  ): Promise<CheckOutcome> {
    const { guard, timeoutMs } = this.options;
    const lookup = await guard.lookup(target, withDeadline(signal, timeoutMs));
    if (!lookup.allowed) return lookup.outcome;
    return {
      status: 'pass',
      detail: `${lookup.hostname} resolves to ${lookup.addresses.join(
        ', ',
      )} at ${guard.resolverName}.`,
    };
  }
}
