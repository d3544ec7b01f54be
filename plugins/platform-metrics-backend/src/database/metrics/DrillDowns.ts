import { Knex } from 'knex';
import type {
  DeploymentRow,
  IncidentRow,
  MetricsQuery,
  OffPathService,
  ServiceRequestRow,
} from '../MetricsStore';
import { compareKeys } from './compareKeys';
import { DEPLOYMENT_COLUMNS, deploymentFromRow } from './deploymentRows';
import { INCIDENT_COLUMNS, incidentFromRow } from './incidentRows';
import { MetricsSql } from './MetricsSql';
import {
  SERVICE_REQUEST_COLUMNS,
  serviceRequestFromRow,
} from './serviceRequestRows';

function sanitizeLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
}

/** The rows behind each metric, newest first, at most `limit` of them. */
export class DrillDowns {
  constructor(private readonly sql: MetricsSql) {}

  async deployments(
    query: MetricsQuery & { goldenPath?: boolean },
    limit: number,
  ): Promise<DeploymentRow[]> {
    const qb = this.sql.productionDeployments(query);
    if (query.goldenPath === true) {
      qb.whereNotNull('golden_template');
    } else if (query.goldenPath === false) {
      qb.whereNull('golden_template');
    }
    const rows = await qb
      .select(...DEPLOYMENT_COLUMNS)
      .orderBy([
        { column: 'deployed_at_ms', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(sanitizeLimit(limit));
    return rows.map(deploymentFromRow);
  }

  async incidents(
    query: MetricsQuery & { state?: 'resolved' | 'open' },
    limit: number,
  ): Promise<IncidentRow[]> {
    const { from, to } = this.sql.period(query);
    const qb = this.sql.incidentsInPeriod(query, from, to, query.state);
    const rows = await qb
      .select(...INCIDENT_COLUMNS)
      .orderBy([
        { column: 'started_at_ms', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(sanitizeLimit(limit));
    return rows.map(incidentFromRow);
  }

  async serviceRequests(
    query: MetricsQuery & { state?: 'ready' | 'in-flight' },
    limit: number,
  ): Promise<ServiceRequestRow[]> {
    const { from, to } = this.sql.period(query);
    const ready = (q: Knex.QueryBuilder) =>
      q.where('ready_at_ms', '>=', from).where('ready_at_ms', '<', to);
    const inFlight = (q: Knex.QueryBuilder) =>
      q
        .where('requested_at_ms', '<', to)
        .where(w =>
          w.whereNull('ready_at_ms').orWhere('ready_at_ms', '>=', to),
        );
    let qb = this.sql.filtered('service_requests', query);
    if (query.state === 'ready') {
      qb = ready(qb);
    } else if (query.state === 'in-flight') {
      qb = inFlight(qb);
    } else {
      qb = qb.where(q => q.where(ready).orWhere(inFlight));
    }
    const rows = await qb
      .select(...SERVICE_REQUEST_COLUMNS)
      .orderBy([
        { column: 'requested_at_ms', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(sanitizeLimit(limit));
    return rows.map(serviceRequestFromRow);
  }

  async offPathServices(query: MetricsQuery): Promise<OffPathService[]> {
    const { db } = this.sql;
    // One row per entity (null = unattributed), with the team of its latest deployment.
    const offPath = this.sql
      .productionDeployments(query)
      .whereNull('golden_template')
      .select(
        'entity_ref',
        'team_ref',
        db.raw(
          'ROW_NUMBER() OVER (PARTITION BY entity_ref ORDER BY deployed_at_ms DESC, id DESC) AS rn',
        ),
        db.raw('COUNT(*) OVER (PARTITION BY entity_ref) AS n'),
      );
    const rows: Array<{
      entity_ref: string | null;
      team_ref: string | null;
      n: number | string;
    }> = await db
      .from(offPath.as('p'))
      .select('entity_ref', 'team_ref', 'n')
      .where('rn', 1);
    return rows
      .map(r => ({
        entityRef: r.entity_ref ?? null,
        teamRef: r.team_ref ?? null,
        deployments: Number(r.n),
        reason: 'no-golden-path-metadata',
      }))
      .sort(
        (a, b) =>
          b.deployments - a.deployments ||
          compareKeys(a.entityRef, b.entityRef),
      );
  }
}
