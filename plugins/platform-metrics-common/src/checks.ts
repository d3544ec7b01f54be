/**
 * The live checks of a golden-path service's promises in production: the
 * contract of `GET /v1/services/{namespace}/{name}/checks`.
 */

/** Every check the portal runs, in the order the checklist shows them. */
export const SERVICE_CHECK_IDS = [
  'image',
  'pipeline',
  'alerts',
  'logs',
  'tls',
  'dns',
  'metrics',
  'health',
] as const;

export type ServiceCheckId = (typeof SERVICE_CHECK_IDS)[number];

/**
 * `not-configured`: the backend the check needs (Prometheus, a logs backend, a
 * resolver) is not configured, so the check cannot say anything; never `pass`.
 * `unknown`: the check could not reach a verdict (never run yet, timed out).
 */
export type ServiceCheckStatus = 'pass' | 'fail' | 'unknown' | 'not-configured';

export interface ServiceCheckResult {
  id: ServiceCheckId;
  status: ServiceCheckStatus;
  /** When the check entered its current status; null before its first run. */
  since: string | null;
  lastCheckedAt: string | null;
  /** Plain words: what was found, and when failing, what to do about it. */
  detail: string;
}

export interface ServiceChecksResponse {
  checks: ServiceCheckResult[];
  /**
   * The first time every required check passed at or after the service's first
   * production deployment; null until then.
   */
  verifiedAt: string | null;
}

/**
 * A service in production (a successful production deployment) whose required
 * checks do not all pass now: "in production without observability".
 */
export interface UnverifiedServiceItem {
  entityRef: string;
  teamRef: string | null;
  firstProductionDeploymentAt: string;
  /** Required checks not passing now, with their status. */
  failing: {
    id: ServiceCheckId;
    status: ServiceCheckStatus;
    since: string | null;
  }[];
  verifiedAt: string | null;
}
