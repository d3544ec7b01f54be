import type { DurationMetric, MetricsQuery } from '../MetricsStore';
import { MetricsSql, MetricsTable } from './MetricsSql';

/** Where each duration metric's completions are: the instant it counts at. */
const COMPLETION: Record<
  DurationMetric,
  { table: MetricsTable; column: string }
> = {
  leadTime: { table: 'service_requests', column: 'ready_at_ms' },
  mttr: { table: 'incidents', column: 'resolved_at_ms' },
};

/**
 * When the latest request became ready, or incident was resolved, before the
 * query's period, in its era, team and template; null when none did. One
 * index-backed MAX, so a period without data finds the last one that had some
 * without scanning quarter by quarter.
 */
export async function lastCompletionBefore(
  sql: MetricsSql,
  query: MetricsQuery,
  metric: DurationMetric,
): Promise<Date | null> {
  const { table, column } = COMPLETION[metric];
  const { from } = sql.period(query);
  const row: { latest: number | string | null } | undefined = await sql
    .filtered(table, query)
    .where(column, '<', from)
    .max({ latest: column })
    .first();
  return row?.latest === null || row?.latest === undefined
    ? null
    : new Date(Number(row.latest));
}
