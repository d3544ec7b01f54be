import { Knex } from 'knex';
import type { AttributedRecord } from '../MetricsStore';
import { chunks } from './chunks';

/**
 * The entity whose live requests' readiness a record may change: a live request's
 * own, or that of a successful live production deployment.
 */
export function readinessEntity(record: AttributedRecord): string | undefined {
  if (record.source === 'baseline') return undefined;
  if (record.kind === 'service-request') return record.entityRef;
  if (
    record.kind === 'deployment' &&
    record.attribution.entityRef &&
    record.production &&
    record.outcome === 'success'
  ) {
    return record.attribution.entityRef;
  }
  return undefined;
}

/**
 * Sets each live request's `ready_at`, whichever order the facts arrived in:
 * - its deployment: the entity's earliest successful live production deployment
 *   at or after the request (none: in flight);
 * - when the live checks covered the entity at that deployment (a
 *   `service_verifications` row with `covered_since` at or before it), the request
 *   ends when the service is both deployed and verified: the later of the
 *   deployment and `verified_at` (null: in flight), and is `ready_by_checks`. The
 *   later of the two, so that a verification recorded before the request was made
 *   never ends it before then;
 * - otherwise at the deployment, as without checks: requests already in
 *   production before the checks covered their service keep their lead time.
 * `observability_verified` is true when the checks verified it or the deployment
 * declared it.
 */
export async function recomputeReadiness(
  tx: Knex.Transaction,
  entityRefs: string[],
  isPostgres: boolean,
): Promise<void> {
  for (const chunk of chunks(entityRefs)) {
    if (isPostgres) {
      // One statement, writing only the requests whose end changed (a deployment
      // row never changes once stored; a verification row does).
      await tx.raw(
        `UPDATE service_requests AS sr SET
           ready_deployment_id = r.id,
           ready_at = e.ready_at,
           ready_at_ms = e.ready_at_ms,
           ready_by_checks = e.by_checks,
           observability_verified =
             e.by_checks OR COALESCE(r.observability_declared, false)
         FROM service_requests AS s
         LEFT JOIN LATERAL (
           SELECT d.id, d.deployed_at, d.deployed_at_ms, d.observability_declared
           FROM deployments d
           WHERE d.entity_ref = s.entity_ref
             AND d.production AND d.outcome = 'success' AND NOT d.baseline
             AND d.deployed_at_ms >= s.requested_at_ms
           ORDER BY d.deployed_at_ms ASC, d.observability_declared DESC, d.id ASC
           LIMIT 1) r ON true
         LEFT JOIN service_verifications v
           ON v.entity_ref = s.entity_ref AND r.deployed_at_ms >= v.covered_since_ms
         CROSS JOIN LATERAL (
           SELECT
             CASE WHEN v.entity_ref IS NULL THEN r.deployed_at
               WHEN v.verified_at_ms >= r.deployed_at_ms THEN v.verified_at
               WHEN v.verified_at_ms IS NOT NULL THEN r.deployed_at
             END AS ready_at,
             CASE WHEN v.entity_ref IS NULL THEN r.deployed_at_ms
               WHEN v.verified_at_ms >= r.deployed_at_ms THEN v.verified_at_ms
               WHEN v.verified_at_ms IS NOT NULL THEN r.deployed_at_ms
             END AS ready_at_ms,
             v.verified_at_ms IS NOT NULL AS by_checks) e
         WHERE sr.id = s.id AND NOT s.baseline AND s.entity_ref = ANY(?::text[])
           AND (sr.ready_deployment_id, sr.ready_at_ms, sr.ready_by_checks)
             IS DISTINCT FROM (r.id, e.ready_at_ms, e.by_checks)`,
        [chunk],
      );
      continue;
    }
    const requests = () =>
      tx('service_requests')
        .where('baseline', false)
        .whereIn('entity_ref', chunk);
    await requests().update({
      ready_deployment_id: tx.raw(
        `(SELECT d.id FROM deployments d
          WHERE d.entity_ref = service_requests.entity_ref
            AND d.production = ? AND d.outcome = 'success' AND d.baseline = ?
            AND d.deployed_at_ms >= service_requests.requested_at_ms
          ORDER BY d.deployed_at_ms ASC, d.observability_declared DESC, d.id ASC
          LIMIT 1)`,
        [true, false],
      ),
    });
    const ofReadyDeployment = (column: string) =>
      `(SELECT d.${column} FROM deployments d WHERE d.id = service_requests.ready_deployment_id)`;
    await requests().update({
      ready_at: tx.raw(ofReadyDeployment('deployed_at')),
      ready_at_ms: tx.raw(ofReadyDeployment('deployed_at_ms')),
      ready_by_checks: false,
      observability_verified: tx.raw(
        `COALESCE(${ofReadyDeployment('observability_declared')}, ?)`,
        [false],
      ),
    });
    // Then the requests whose deployment the checks covered end when verified.
    // SET expressions read the row as it was before this statement.
    await tx.raw(
      `UPDATE service_requests SET
         ready_at = CASE
           WHEN v.verified_at_ms IS NULL THEN NULL
           WHEN v.verified_at_ms >= service_requests.ready_at_ms THEN v.verified_at
           ELSE service_requests.ready_at END,
         ready_at_ms = CASE
           WHEN v.verified_at_ms IS NULL THEN NULL
           WHEN v.verified_at_ms >= service_requests.ready_at_ms THEN v.verified_at_ms
           ELSE service_requests.ready_at_ms END,
         ready_by_checks = v.verified_at_ms IS NOT NULL,
         observability_verified =
           v.verified_at_ms IS NOT NULL OR service_requests.observability_verified
       FROM service_verifications v
       WHERE v.entity_ref = service_requests.entity_ref
         AND service_requests.baseline = ?
         AND service_requests.entity_ref IN (${chunk.map(() => '?').join(', ')})
         AND service_requests.ready_at_ms >= v.covered_since_ms`,
      [false, ...chunk],
    );
  }
}
