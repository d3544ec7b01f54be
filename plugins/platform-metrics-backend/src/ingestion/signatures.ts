import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook authentication. Every check takes the raw request body exactly as received
 * (a re-serialised JSON body does not verify), compares in constant time, and returns
 * false rather than throwing on anything missing or malformed, including an empty
 * configured secret.
 */

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** At most this many `v1=` values are read from one `X-PagerDuty-Signature` header. */
const MAX_PAGERDUTY_SIGNATURES = 16;

function hmacSha256(secret: string, rawBody: Buffer): Buffer {
  return createHmac('sha256', secret).update(rawBody).digest();
}

/** Decodes a 64-character hex digest; undefined for anything else (so lengths always match). */
function decodeHexDigest(hex: string): Buffer | undefined {
  return SHA256_HEX.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

/**
 * GitHub's `X-Hub-Signature-256`: `sha256=` followed by the hex HMAC-SHA256 of the raw
 * body, keyed with the webhook secret.
 */
export function verifyGithubSignature(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
): boolean {
  if (!secret || typeof header !== 'string') return false;
  const value = header.trim();
  if (!value.startsWith('sha256=')) return false;
  const presented = decodeHexDigest(value.slice('sha256='.length));
  if (!presented) return false;
  return timingSafeEqual(presented, hmacSha256(secret, rawBody));
}

/**
 * PagerDuty v3's `X-PagerDuty-Signature`: one or more comma-separated `v1=<hex>` values,
 * one per signing secret while a secret is being rotated. Valid when any `v1` value is
 * the HMAC-SHA256 of the raw body under any of the configured `secrets`. Values of other
 * versions are skipped.
 */
export function verifyPagerDutySignature(
  rawBody: Buffer,
  header: string | undefined,
  secrets: string[],
): boolean {
  if (typeof header !== 'string') return false;
  const presented = header
    .split(',')
    .slice(0, MAX_PAGERDUTY_SIGNATURES)
    .map(part => part.trim())
    .filter(part => part.startsWith('v1='))
    .map(part => decodeHexDigest(part.slice('v1='.length)))
    .filter((digest): digest is Buffer => digest !== undefined);
  const expected = secrets
    .filter(secret => typeof secret === 'string' && secret.length > 0)
    .map(secret => hmacSha256(secret, rawBody));
  // Every pair is compared, without stopping at the first match.
  let valid = false;
  for (const digest of presented) {
    for (const candidate of expected) {
      if (timingSafeEqual(digest, candidate)) valid = true;
    }
  }
  return valid;
}
