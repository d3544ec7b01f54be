import type { GoldenPathSummary } from '@internal/plugin-platform-metrics-common';
import type { Breakdown, MetricsQuery } from '../MetricsStore';
import { DeploymentRollup } from './DeploymentRollup';
import { goldenPathCounts } from './goldenPathCounts';
import { MetricsSql } from './MetricsSql';
import { toBreakdown } from './toBreakdown';

const GROUP_COLUMN = {
  team: 'team_ref',
  template: 'golden_template_name',
} as const;

function goldenPathSummary(total: number, golden: number): GoldenPathSummary {
  return {
    percent: total === 0 ? null : (100 * golden) / total,
    goldenDeployments: golden,
    totalDeployments: total,
  };
}

/**
 * Golden-path share: of the successful production deployments in the period, those
 * whose pipeline is a golden path. Counted from the rollup where there is one
 * (PostgreSQL), else from the raw rows.
 */
export class GoldenPathQuery {
  constructor(
    private readonly sql: MetricsSql,
    private readonly rollup: DeploymentRollup | undefined,
  ) {}

  async summary(query: MetricsQuery): Promise<GoldenPathSummary> {
    const all = await this.byGroup(query, undefined);
    return all.get(null) ?? goldenPathSummary(0, 0);
  }

  async breakdown(
    query: MetricsQuery,
    by: keyof typeof GROUP_COLUMN,
  ): Promise<Breakdown<GoldenPathSummary>[]> {
    return toBreakdown(await this.byGroup(query, GROUP_COLUMN[by]));
  }

  private async byGroup(
    query: MetricsQuery,
    column: string | undefined,
  ): Promise<Map<string | null, GoldenPathSummary>> {
    const rows = this.rollup
      ? await this.rollup.goldenPathCounts(query, column)
      : await goldenPathCounts(
          this.sql,
          this.sql.productionDeployments(query),
          column,
        );
    const result = new Map<string | null, GoldenPathSummary>();
    for (const row of rows) {
      const total = Number(row.total);
      if (total > 0) {
        result.set(
          row.g ?? null,
          goldenPathSummary(total, Number(row.golden ?? 0)),
        );
      }
    }
    return result;
  }
}
