import { Knex } from 'knex';
import type { MetricsQuery } from '../MetricsStore';
import { epochMs } from './epochMs';
import type { Range } from './rollupBuckets';
import { templateName } from './templateName';

export type MetricsTable = 'deployments' | 'incidents' | 'service_requests';

const TEMPLATE_COLUMN: Record<MetricsTable, string | undefined> = {
  deployments: 'golden_template_name',
  service_requests: 'template_name',
  incidents: undefined, // incidents carry no template
};

/**
 * The SQL the metric queries share: the query's era, team and template filters,
 * its period as epoch milliseconds, and group keys. Instants are compared and
 * subtracted as epoch milliseconds (`*_ms` columns), identically on SQLite and
 * PostgreSQL.
 */
export class MetricsSql {
  constructor(readonly db: Knex) {}

  /** Rows of `table` matching the query's era, team and template. */
  filtered(table: MetricsTable, query: MetricsQuery): Knex.QueryBuilder {
    const qb = this.db(table).where(
      `${table}.baseline`,
      Boolean(query.baseline),
    );
    if (query.team) {
      qb.where(`${table}.team_ref`, query.team);
    }
    const templateColumn = TEMPLATE_COLUMN[table];
    if (query.template && templateColumn) {
      qb.where(`${table}.${templateColumn}`, templateName(query.template));
    }
    return qb;
  }

  period(query: MetricsQuery): { from: number; to: number } {
    return { from: epochMs(query.from, 'from'), to: epochMs(query.to, 'to') };
  }

  /** Successful production deployments in the period. */
  productionDeployments(query: MetricsQuery): Knex.QueryBuilder {
    const { from, to } = this.period(query);
    return this.filtered('deployments', query)
      .where('deployments.production', true)
      .where('deployments.outcome', 'success')
      .where('deployments.deployed_at_ms', '>=', from)
      .where('deployments.deployed_at_ms', '<', to);
  }

  /** Incidents resolved in the period and/or open at its end. */
  incidentsInPeriod(
    query: MetricsQuery,
    from: number,
    to: number,
    state?: 'resolved' | 'open',
  ): Knex.QueryBuilder {
    const qb = this.filtered('incidents', query);
    const resolved = (q: Knex.QueryBuilder) =>
      q.where('resolved_at_ms', '>=', from).where('resolved_at_ms', '<', to);
    if (state === 'resolved') {
      return resolved(qb);
    }
    if (state === 'open') {
      return this.openIncidents(qb, to);
    }
    return qb.where(q =>
      q.where(resolved).orWhere(o => this.openIncidents(o, to)),
    );
  }

  /** Started before `to` and not resolved by then. */
  openIncidents(qb: Knex.QueryBuilder, to: number): Knex.QueryBuilder {
    return qb
      .where('started_at_ms', '<', to)
      .where(q =>
        q.whereNull('resolved_at_ms').orWhere('resolved_at_ms', '>=', to),
      );
  }

  /** A where-callback: `column` in any of `ranges`. */
  inRanges(column: string, ranges: Range[]) {
    return (qb: Knex.QueryBuilder) => {
      for (const [start, end] of ranges) {
        qb.orWhere(r => r.where(column, '>=', start).where(column, '<', end));
      }
    };
  }

  /** `column AS g`, the group key; `NULL AS g` for one group of everything. */
  groupKey(column: string | undefined): Knex.Raw {
    return this.db.raw(column ? `${column} AS g` : 'NULL AS g');
  }

  /** `COUNT(*)` per group of `qb` (one row when ungrouped), keyed by group. */
  async countBy(
    qb: Knex.QueryBuilder,
    column: string | undefined,
  ): Promise<Map<string | null, number>> {
    qb.select(this.groupKey(column), this.db.raw('COUNT(*) AS n'));
    if (column) {
      qb.groupBy(column);
    }
    const rows: Array<{ g: string | null; n: number | string }> = await qb;
    return new Map(rows.map(r => [r.g ?? null, Number(r.n)]));
  }
}
