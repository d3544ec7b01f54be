import type { GoldenPathSummary } from '@internal/plugin-platform-metrics-common';
import type { Breakdown, MetricsQuery } from '../MetricsStore';
import { DeploymentRollup } from './DeploymentRollup';
import { goldenPathCounts } from './goldenPathCounts';
import { MetricsSql } from './MetricsSql';
import {
  type SupportedGoldenVersions,
  supportedGoldenCounts,
} from './supportedGoldenCounts';
import { toBreakdown } from './toBreakdown';

const GROUP_COLUMN = {
  team: 'team_ref',
  template: 'golden_template_name',
} as const;

function goldenPathSummary(
  total: number,
  golden: number,
  supported: number | undefined,
): GoldenPathSummary {
  const summary: GoldenPathSummary = {
    percent: total === 0 ? null : (100 * golden) / total,
    goldenDeployments: golden,
    totalDeployments: total,
  };
  if (supported !== undefined) {
    // The two counts are separate statements; a deployment stored between
    // them must not make the share exceed 100 %.
    const count = Math.min(supported, golden);
    summary.supportedPercent = golden === 0 ? null : (100 * count) / golden;
    summary.supportedDeployments = count;
  }
  return summary;
}

/**
 * Golden-path share: of the successful production deployments in the period, those
 * whose pipeline is a golden path. Counted from the rollup where there is one
 * (PostgreSQL), else from the raw rows; the share made from a supported version
 * from the raw rows ({@link supportedGoldenCounts}).
 */
export class GoldenPathQuery {
  constructor(
    private readonly sql: MetricsSql,
    private readonly rollup: DeploymentRollup | undefined,
    /** Without it, summaries leave out the supported-version share. */
    private readonly supported?: SupportedGoldenVersions,
  ) {}

  async summary(query: MetricsQuery): Promise<GoldenPathSummary> {
    const all = await this.byGroup(query, undefined);
    return (
      all.get(null) ?? goldenPathSummary(0, 0, this.supported ? 0 : undefined)
    );
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
    const [rows, supported] = await Promise.all([
      this.rollup
        ? this.rollup.goldenPathCounts(query, column)
        : goldenPathCounts(
            this.sql,
            this.sql.productionDeployments(query),
            column,
          ),
      this.supported &&
        supportedGoldenCounts(this.sql, query, column, this.supported),
    ]);
    const result = new Map<string | null, GoldenPathSummary>();
    for (const row of rows) {
      const total = Number(row.total);
      if (total > 0) {
        result.set(
          row.g ?? null,
          goldenPathSummary(
            total,
            Number(row.golden ?? 0),
            supported && (supported.get(row.g ?? null) ?? 0),
          ),
        );
      }
    }
    return result;
  }
}
