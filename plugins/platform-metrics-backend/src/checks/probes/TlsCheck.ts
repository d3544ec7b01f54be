import type { CheckOutcome, CheckTarget, ServiceCheck } from '../ServiceCheck';
import type { TrustedCas } from '../network/loadTrustedCas';
import type { ProbeGuard } from '../network/ProbeGuard';
import { tlsHandshake, type TlsHandshakeResult } from '../network/tlsHandshake';
import { describeTlsError } from './describeTlsError';
import { probePinnedAddress } from './probePinnedAddress';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Why a certificate was refused and what fixes it. */
function describeRefusal(
  code: string | undefined,
  expiry: string,
  names: string | undefined,
  hostname: string,
): string {
  if (code === 'CERT_HAS_EXPIRED') {
    return `the certificate expired on ${expiry}. Renew it (see the service's Certificate expiry runbook)`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `the certificate is for ${
      names ?? 'other names'
    }, not ${hostname}. Issue one for the hostname (cert-manager Certificate of the Ingress)`;
  }
  return `${
    describeTlsError(code) ?? code
  }. Check the issuer of the certificate in the Ingress's TLS secret`;
}

export interface TlsCheckOptions {
  enabled: boolean;
  guard: ProbeGuard;
  cas: TrustedCas;
  port: number;
  /** Fail when the certificate expires within this many days. */
  minDaysValid: number;
  timeoutMs: number;
  now?: () => Date;
}

/**
 * `tls`: a handshake with `<hostname>:443` presents a chain that is valid for
 * the hostname, trusted by the configured CAs and not expiring within
 * `minDaysValid` days.
 */
export class TlsCheck implements ServiceCheck {
  readonly id = 'tls';
  readonly configured: boolean;
  private readonly now: () => Date;

  private constructor(private readonly options: TlsCheckOptions) {
    this.configured = options.enabled;
    this.now = options.now ?? (() => new Date());
  }

  static create(options: TlsCheckOptions): TlsCheck {
    return new TlsCheck(options);
  }

  async run(
    target: CheckTarget,
    { signal: outer }: { signal: AbortSignal },
  ): Promise<CheckOutcome> {
    const { port } = this.options;
    return probePinnedAddress(this.options, target, outer, async pinned => {
      const endpoint = `${pinned.hostname}:${port}`;
      const handshake = await tlsHandshake({
        address: pinned.address,
        port,
        hostname: pinned.hostname,
        ca: pinned.ca,
        signal: pinned.signal,
      });
      if (handshake.kind === 'error') {
        if (handshake.reason === 'aborted') {
          return pinned.aborted(`The TLS handshake with ${endpoint}`);
        }
        return {
          status: 'fail',
          detail: `No TLS handshake with ${endpoint}: ${
            describeTlsError(handshake.code) ??
            handshake.code ??
            handshake.message
          }. Check that the Ingress serves ${
            pinned.hostname
          } with the certificate in its TLS secret.`,
        };
      }
      return this.judgeCertificate(endpoint, pinned.hostname, handshake);
    });
  }

  private judgeCertificate(
    endpoint: string,
    hostname: string,
    handshake: Extract<TlsHandshakeResult, { kind: 'connected' }>,
  ): CheckOutcome {
    const { minDaysValid } = this.options;
    const { certificate } = handshake;
    const expires = new Date(certificate.valid_to);
    const expiry = Number.isNaN(expires.getTime())
      ? 'an unreadable expiry date'
      : expires.toISOString().slice(0, 10);
    if (!handshake.authorized) {
      const commonName = certificate.subject?.CN;
      const names =
        certificate.subjectaltname ??
        (Array.isArray(commonName) ? commonName.join(', ') : commonName);
      const problem = describeRefusal(
        handshake.authorizationError,
        expiry,
        names,
        hostname,
      );
      return {
        status: 'fail',
        detail: `${endpoint} presents a certificate the portal does not accept: ${problem}.`,
      };
    }

    const daysLeft = (expires.getTime() - this.now().getTime()) / DAY_MS;
    if (!(daysLeft >= minDaysValid)) {
      return {
        status: 'fail',
        detail: `The certificate of ${endpoint} expires on ${expiry}, in ${Math.max(
          0,
          Math.floor(daysLeft),
        )} days (less than ${minDaysValid}). cert-manager should have renewed it; see the service's Certificate expiry runbook.`,
      };
    }
    return {
      status: 'pass',
      detail: `${endpoint} presents a trusted certificate valid until ${expiry} (${Math.floor(
        daysLeft,
      )} days).`,
    };
  }
}
