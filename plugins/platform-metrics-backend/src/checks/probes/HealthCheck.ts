import type { CheckOutcome, CheckTarget, ServiceCheck } from '../ServiceCheck';
import { httpGet, type HttpGetResult } from '../network/httpGet';
import type { TrustedCas } from '../network/loadTrustedCas';
import type { ProbeGuard } from '../network/ProbeGuard';
import { describeTlsError } from './describeTlsError';
import { probePinnedAddress } from './probePinnedAddress';

export interface HealthCheckOptions {
  enabled: boolean;
  guard: ProbeGuard;
  cas: TrustedCas;
  /** 443 in production; tests serve on a free port. */
  port: number;
  timeoutMs: number;
  maxResponseBytes: number;
}

/**
 * `health`: `GET https://<hostname>/readyz` answers 2xx over TLS the
 * configured CAs trust. Redirects are not followed, not even to the same
 * host: the readiness endpoint the golden path generates answers itself, and
 * a redirect is reported so that whoever added it can see it.
 */
export class HealthCheck implements ServiceCheck {
  readonly id = 'health';
  readonly configured: boolean;

  private constructor(private readonly options: HealthCheckOptions) {
    this.configured = options.enabled;
  }

  static create(options: HealthCheckOptions): HealthCheck {
    return new HealthCheck(options);
  }

  async run(
    target: CheckTarget,
    { signal: outer }: { signal: AbortSignal },
  ): Promise<CheckOutcome> {
    return probePinnedAddress(this.options, target, outer, async pinned => {
      const url = new URL(`https://${pinned.hostname}/readyz`);
      url.port = String(this.options.port);
      const response = await httpGet({
        url,
        address: pinned.address,
        ca: pinned.ca,
        signal: pinned.signal,
        maxResponseBytes: this.options.maxResponseBytes,
      });
      if (response.kind === 'error') {
        if (response.reason === 'aborted') return pinned.aborted(String(url));
        const tlsProblem = describeTlsError(response.code);
        return {
          status: 'fail',
          detail: tlsProblem
            ? `${url} could not be fetched: ${tlsProblem}. The tls check shows the certificate.`
            : `${url} could not be reached (${
                response.code ?? response.message
              }). Check that the Ingress routes ${
                pinned.hostname
              } to the service; see the service's Unavailable runbook.`,
        };
      }
      return this.judgeResponse(url, response);
    });
  }

  private judgeResponse(
    url: URL,
    response: Extract<HttpGetResult, { kind: 'response' }>,
  ): CheckOutcome {
    const { status } = response;
    if (status >= 300 && status < 400) {
      return {
        status: 'fail',
        detail: `${url} answered ${status} with a redirect to ${
          response.headers.location ?? '(no location)'
        }. The probe follows no redirect: /readyz must answer 2xx itself.`,
      };
    }
    if (status < 200 || status >= 300) {
      return {
        status: 'fail',
        detail: `${url} answered ${status}; the service is not ready. See the service's Unavailable runbook.`,
      };
    }
    if (response.truncated) {
      return {
        status: 'fail',
        detail: `${url} answered ${status} but its body exceeded ${this.options.maxResponseBytes} bytes and was cut. /readyz should answer a short status.`,
      };
    }
    return { status: 'pass', detail: `${url} answered ${status}.` };
  }
}
