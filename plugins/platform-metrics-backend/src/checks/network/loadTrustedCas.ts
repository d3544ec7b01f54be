import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';

const PEM_BLOCK =
  /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The CAs TLS probes trust: the system's, or the PEM bundle of `tls.caFile`. */
export type TrustedCas =
  | { kind: 'system' }
  | { kind: 'file'; pem: string }
  /** The file cannot be used; TLS probes answer `unknown` with this problem. */
  | { kind: 'unreadable'; problem: string };

/**
 * Reads `tls.caFile` once at startup. A missing or empty file does not stop
 * the backend (the other checks still work); the TLS probes report it.
 */
export function loadTrustedCas(caFile: string | undefined): TrustedCas {
  if (!caFile) return { kind: 'system' };
  try {
    const pem = readFileSync(caFile, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      return {
        kind: 'unreadable',
        problem: `The CA file ${caFile} (platformMetrics.checks.tls.caFile) holds no PEM certificate.`,
      };
    }
    // Parse every certificate now: Node skips a malformed one silently, and
    // every probe would then fail as "untrusted" with no hint at the file.
    (pem.match(PEM_BLOCK) ?? []).forEach(block => new X509Certificate(block));
    return { kind: 'file', pem };
  } catch (error) {
    return {
      kind: 'unreadable',
      problem: `The CA file ${caFile} (platformMetrics.checks.tls.caFile) cannot be used: ${
        (error as Error).message
      }.`,
    };
  }
}
