import type { LeadTimeSummary } from '@internal/plugin-platform-metrics-common';
import type { Breakdown, MetricsQuery } from '../MetricsStore';
import {
  DurationStats,
  durationStatsByGroup,
  EMPTY_STATS,
} from '../percentiles';
import { MetricsSql } from './MetricsSql';
import { toBreakdown } from './toBreakdown';

const GROUP_COLUMN = { team: 'team_ref', template: 'template_name' } as const;

function leadTimeSummary(
  stats: DurationStats,
  inFlight: number,
): LeadTimeSummary {
  return {
    medianSeconds: stats.medianSeconds,
    p90Seconds: stats.p90Seconds,
    count: stats.count,
    inFlight,
    observabilityUnverified: stats.flagged,
  };
}

/**
 * Lead time: from a service request to its first successful production deployment,
 * or, for a service the live checks cover, to when they verified it (see
 * recomputeReadiness), over the requests that became ready in the period, with
 * those still in flight at its end.
 */
export class LeadTimeQuery {
  constructor(private readonly sql: MetricsSql) {}

  async summary(query: MetricsQuery): Promise<LeadTimeSummary> {
    const [all, verified] = await Promise.all([
      this.byGroup(query, undefined),
      this.verifiedCount(query),
    ]);
    const summary = all.get(null) ?? leadTimeSummary(EMPTY_STATS, 0);
    if (verified === undefined) {
      return summary;
    }
    // Two statements: a request that became ready between them must not make
    // the parts disagree with `count`.
    const ofCount = Math.min(verified, summary.count);
    return {
      ...summary,
      verified: ofCount,
      declaredOnly: summary.count - ofCount,
    };
  }

  /**
   * The requests ready in the period whose lead time the checks ended;
   * undefined while the checks cover no service at all (not configured), when
   * the split says nothing.
   */
  private async verifiedCount(
    query: MetricsQuery,
  ): Promise<number | undefined> {
    const { db } = this.sql;
    if (!(await db('service_verifications').first('entity_ref'))) {
      return undefined;
    }
    const { from, to } = this.sql.period(query);
    const counts = await this.sql.countBy(
      this.sql
        .filtered('service_requests', query)
        .where('ready_by_checks', true)
        .where('ready_at_ms', '>=', from)
        .where('ready_at_ms', '<', to),
      undefined,
    );
    return counts.get(null) ?? 0;
  }

  async breakdown(
    query: MetricsQuery,
    by: keyof typeof GROUP_COLUMN,
  ): Promise<Breakdown<LeadTimeSummary>[]> {
    return toBreakdown(await this.byGroup(query, GROUP_COLUMN[by]));
  }

  private async byGroup(
    query: MetricsQuery,
    column: string | undefined,
  ): Promise<Map<string | null, LeadTimeSummary>> {
    const { db } = this.sql;
    const { from, to } = this.sql.period(query);
    const durations = this.sql
      .filtered('service_requests', query)
      .select(
        this.sql.groupKey(column),
        db.raw('ready_at_ms - requested_at_ms AS v'),
        db.raw('CASE WHEN observability_verified THEN 0 ELSE 1 END AS u'),
      )
      .where('ready_at_ms', '>=', from)
      .where('ready_at_ms', '<', to);
    const inFlight = this.sql
      .filtered('service_requests', query)
      .where('requested_at_ms', '<', to)
      .where(q => q.whereNull('ready_at_ms').orWhere('ready_at_ms', '>=', to));
    const [stats, inFlightCounts] = await Promise.all([
      durationStatsByGroup(db, durations),
      this.sql.countBy(inFlight, column),
    ]);
    const result = new Map<string | null, LeadTimeSummary>();
    for (const key of new Set([...stats.keys(), ...inFlightCounts.keys()])) {
      if ((stats.get(key)?.count ?? 0) + (inFlightCounts.get(key) ?? 0) > 0) {
        result.set(
          key,
          leadTimeSummary(
            stats.get(key) ?? EMPTY_STATS,
            inFlightCounts.get(key) ?? 0,
          ),
        );
      }
    }
    return result;
  }
}
