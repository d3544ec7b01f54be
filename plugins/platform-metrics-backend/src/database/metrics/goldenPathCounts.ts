import { Knex } from 'knex';
import { MetricsSql } from './MetricsSql';

export interface GoldenPathCountRow {
  g: string | null;
  total: number | string;
  golden: number | string | null;
}

/** Deployments and golden-path deployments per group of `qb`'s deployments. */
export function goldenPathCounts(
  sql: MetricsSql,
  qb: Knex.QueryBuilder,
  column: string | undefined,
): Promise<GoldenPathCountRow[]> {
  qb.select(
    sql.groupKey(column),
    sql.db.raw('COUNT(*) AS total'),
    sql.db.raw(
      'SUM(CASE WHEN golden_template IS NOT NULL THEN 1 ELSE 0 END) AS golden',
    ),
  );
  if (column) {
    qb.groupBy(column);
  }
  return qb;
}
