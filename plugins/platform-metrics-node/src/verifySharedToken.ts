import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A shared token compared in constant time, whatever the lengths: GitLab's
 * `X-Gitlab-Token`, or the bearer token Alertmanager and Opsgenie send (see
 * `bearerToken`). Both sides are hashed first so neither the content nor the
 * length leaks through timing; an empty expected token never matches.
 */
export function verifySharedToken(
  presented: string | undefined,
  expected: string,
): boolean {
  if (!expected || typeof presented !== 'string' || presented.length === 0) {
    return false;
  }
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header; undefined for any other scheme. */
export function bearerToken(
  authorization: string | undefined,
): string | undefined {
  if (typeof authorization !== 'string') return undefined;
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m ? m[1] : undefined;
}
