import type { MttrSummary } from '@internal/plugin-platform-metrics-common';
import type { Breakdown, MetricsQuery } from '../MetricsStore';
import {
  DurationStats,
  durationStatsByGroup,
  EMPTY_STATS,
} from '../percentiles';
import { IncidentDurationRollup } from './IncidentDurationRollup';
import { MetricsSql } from './MetricsSql';
import { toBreakdown } from './toBreakdown';

const GROUP_COLUMN = {
  team: 'team_ref',
  service: 'entity_ref',
  severity: 'severity',
} as const;

function mttrSummary(stats: DurationStats, open: number): MttrSummary {
  return {
    medianSeconds: stats.medianSeconds,
    meanSeconds: stats.meanSeconds,
    p90Seconds: stats.p90Seconds,
    count: stats.count,
    open,
  };
}

/**
 * Mean time to restore: from an incident's start to its final resolution, over
 * the incidents resolved in the period, with those open at its end. A summary of
 * every team reads the durations from the rollup; filtered and broken down by
 * team, service or severity (keys the rollup does not have), from the rows.
 */
export class MttrQuery {
  constructor(
    private readonly sql: MetricsSql,
    private readonly rollup: IncidentDurationRollup,
  ) {}

  async summary(query: MetricsQuery): Promise<MttrSummary> {
    const all = await this.byGroup(query, undefined);
    return all.get(null) ?? mttrSummary(EMPTY_STATS, 0);
  }

  async breakdown(
    query: MetricsQuery,
    by: keyof typeof GROUP_COLUMN,
  ): Promise<Breakdown<MttrSummary>[]> {
    return toBreakdown(await this.byGroup(query, GROUP_COLUMN[by]));
  }

  private async byGroup(
    query: MetricsQuery,
    column: string | undefined,
  ): Promise<Map<string | null, MttrSummary>> {
    const { to } = this.sql.period(query);
    const open = this.sql.openIncidents(
      this.sql.filtered('incidents', query),
      to,
    );
    const [stats, openCounts] = await Promise.all([
      this.durationStats(query, column),
      this.sql.countBy(open, column),
    ]);
    const result = new Map<string | null, MttrSummary>();
    for (const key of new Set([...stats.keys(), ...openCounts.keys()])) {
      if ((stats.get(key)?.count ?? 0) + (openCounts.get(key) ?? 0) > 0) {
        result.set(
          key,
          mttrSummary(stats.get(key) ?? EMPTY_STATS, openCounts.get(key) ?? 0),
        );
      }
    }
    return result;
  }

  /** Of the incidents resolved in the period, per group (none without any). */
  private async durationStats(
    query: MetricsQuery,
    column: string | undefined,
  ): Promise<Map<string | null, DurationStats>> {
    if (column === undefined && !query.team) {
      const all = await this.rollup.durationStats(query);
      if (all) {
        return new Map(all.count > 0 ? [[null, all]] : []);
      }
    }
    const { db } = this.sql;
    const { from, to } = this.sql.period(query);
    const durations = this.sql
      .filtered('incidents', query)
      .select(
        this.sql.groupKey(column),
        db.raw('resolved_at_ms - started_at_ms AS v'),
        db.raw('0 AS u'),
      )
      .where('resolved_at_ms', '>=', from)
      .where('resolved_at_ms', '<', to);
    return durationStatsByGroup(db, durations);
  }
}
