import type { DataQuality, MetricsQuery } from '../MetricsStore';
import { MetricsSql } from './MetricsSql';

/** What the metrics of the period could not attribute or correlate. */
export async function dataQuality(
  sql: MetricsSql,
  query: MetricsQuery,
): Promise<DataQuality> {
  const { db } = sql;
  const { from, to } = sql.period(query);
  const [deployments, incidents, withoutRequest] = await Promise.all([
    sql
      .filtered('deployments', query)
      .whereNull('entity_ref')
      .where('deployed_at_ms', '>=', from)
      .where('deployed_at_ms', '<', to)
      .count({ n: '*' })
      .first(),
    sql
      .incidentsInPeriod(query, from, to)
      .whereNull('entity_ref')
      .count({ n: '*' })
      .first(),
    sql
      .productionDeployments(query)
      .whereNotNull('deployments.entity_ref')
      .whereNotExists(
        db('service_requests')
          .select(db.raw('1'))
          .whereRaw('service_requests.entity_ref = deployments.entity_ref'),
      )
      .countDistinct({ n: 'deployments.entity_ref' })
      .first(),
  ]);
  return {
    unattributedDeployments: Number(deployments?.n ?? 0),
    unattributedIncidents: Number(incidents?.n ?? 0),
    servicesWithoutRequest: Number(withoutRequest?.n ?? 0),
  };
}
