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
 * Sets each live request's `ready_at` to its entity's earliest successful live
 * production deployment at or after the request, whichever order they arrived in.
 */
export async function recomputeReadiness(
  tx: Knex.Transaction,
  entityRefs: string[],
  isPostgres: boolean,
): Promise<void> {
  for (const chunk of chunks(entityRefs)) {
    if (isPostgres) {
      // The two updates below in one statement, writing only the requests whose
      // deployment changed (a deployment row never changes once stored).
      await tx.raw(
        `UPDATE service_requests AS sr SET
           ready_deployment_id = r.id,
           ready_at = r.deployed_at,
           ready_at_ms = r.deployed_at_ms,
           observability_verified = COALESCE(r.observability_declared, false)
         FROM service_requests AS s
         LEFT JOIN LATERAL (
           SELECT d.id, d.deployed_at, d.deployed_at_ms, d.observability_declared
           FROM deployments d
           WHERE d.entity_ref = s.entity_ref
             AND d.production AND d.outcome = 'success' AND NOT d.baseline
             AND d.deployed_at_ms >= s.requested_at_ms
           ORDER BY d.deployed_at_ms ASC, d.observability_declared DESC, d.id ASC
           LIMIT 1) r ON true
         WHERE sr.id = s.id AND NOT s.baseline AND s.entity_ref = ANY(?::text[])
           AND sr.ready_deployment_id IS DISTINCT FROM r.id`,
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
      observability_verified: tx.raw(
        `COALESCE(${ofReadyDeployment('observability_declared')}, ?)`,
        [false],
      ),
    });
  }
}
