import { Knex } from 'knex';
import type { ProductionDeploymentFacts } from '../../checks/ServiceVerifications';
import {
  PRODUCTION_DEPLOYMENT_FACT_COLUMNS,
  productionDeploymentFactsFromRow,
} from './deploymentRows';

/**
 * The entity's first or latest successful live (not baseline) production
 * deployment, through `deployments_entity_at_idx`. Ties on the instant go to the
 * deployment lead time would pick (the first), or to the one stored with the
 * highest id (the latest), so that repeated reads agree.
 */
export async function productionDeployment(
  db: Knex,
  entityRef: string,
  which: 'first' | 'latest',
): Promise<ProductionDeploymentFacts | undefined> {
  const order = which === 'first' ? 'asc' : 'desc';
  const row = await db('deployments')
    .select(PRODUCTION_DEPLOYMENT_FACT_COLUMNS)
    .where({
      entity_ref: entityRef,
      production: true,
      outcome: 'success',
      baseline: false,
    })
    .orderBy([
      { column: 'deployed_at_ms', order },
      ...(which === 'first'
        ? [{ column: 'observability_declared', order: 'desc' }]
        : []),
      { column: 'id', order },
    ])
    .first();
  return row ? productionDeploymentFactsFromRow(row) : undefined;
}
