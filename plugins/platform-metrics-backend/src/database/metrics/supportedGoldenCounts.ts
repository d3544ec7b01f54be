import type { Knex } from 'knex';
import type { MetricsQuery } from '../MetricsStore';
import { MetricsSql } from './MetricsSql';

/** Which golden-path versions count as supported (`goldenPath.supportedVersions`). */
export interface SupportedGoldenVersions {
  /** Per template name (`node-service`), where config lists them. */
  byTemplate: Record<string, string[]>;
  /** Every other template: the latest release. */
  otherwise: string[];
}

/**
 * Golden deployments of the period made from a supported version, per group.
 * Counted from the raw rows on both databases: which versions are supported is
 * configuration and changes without a migration, so the deployment rollup (per
 * template, not per version) cannot hold it. Only golden rows of the period
 * are read, through the same index as the rollup's edges.
 */
export async function supportedGoldenCounts(
  sql: MetricsSql,
  query: MetricsQuery,
  column: string | undefined,
  supported: SupportedGoldenVersions,
): Promise<Map<string | null, number>> {
  const listed = Object.keys(supported.byTemplate);
  const qb = sql
    .productionDeployments(query)
    .whereNotNull('deployments.golden_template')
    .where((any: Knex.QueryBuilder) => {
      for (const template of listed) {
        any.orWhere(q =>
          q
            .where('deployments.golden_template_name', template)
            .whereIn(
              'deployments.golden_version',
              supported.byTemplate[template],
            ),
        );
      }
      any.orWhere(q => {
        if (listed.length > 0) {
          q.whereNotIn('deployments.golden_template_name', listed);
        }
        q.whereIn('deployments.golden_version', supported.otherwise);
      });
    });
  return sql.countBy(qb, column);
}
