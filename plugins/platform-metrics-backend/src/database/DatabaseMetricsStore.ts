import { InputError } from '@backstage/errors';
import type {
  GoldenPathSummary,
  LeadTimeSummary,
  MttrSummary,
} from '@internal/plugin-platform-metrics-common';
import { Knex } from 'knex';
import { createHash, randomUUID } from 'node:crypto';
import type {
  DeploymentRecord,
  IncidentEventRecord,
  ServiceRequestRecord,
} from '../ingestion/types';
import type {
  AttributedRecord,
  Breakdown,
  DataQuality,
  DeploymentRow,
  IncidentRow,
  IngestResult,
  MetricsQuery,
  MetricsStore,
  OffPathService,
  ServiceRequestRow,
} from './MetricsStore';
import {
  DurationStats,
  durationStatsByGroup,
  EMPTY_STATS,
} from './percentiles';

/** Rows per multi-row statement; far below both databases' bind-parameter limits. */
const CHUNK = 500;

/** Namespace of this plugin's PostgreSQL advisory locks (two-key form). */
const LOCK_NAMESPACE = 0x504d4554; // 'PMET'

type Attributed<T> = T & { attribution: AttributedRecord['attribution'] };
type Table = 'deployments' | 'incidents' | 'service_requests';

/** `template:default/node-service` and `node-service` both name `node-service`. */
export function templateName(ref: string | null | undefined): string | null {
  if (!ref) {
    return null;
  }
  const withoutKind = ref.includes(':') ? ref.slice(ref.indexOf(':') + 1) : ref;
  const name = withoutKind.slice(withoutKind.lastIndexOf('/') + 1).trim();
  return name || null;
}

function deliveryId(source: string, deliveryKey: string): string {
  return JSON.stringify([source, deliveryKey]);
}

/** Code-unit order, the same whatever the database's collation. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Breakdown keys in order, "unknown" (null) last. */
function compareKeys(a: string | null, b: string | null): number {
  if (a === null || b === null) {
    return Number(a === null) - Number(b === null);
  }
  return compareStrings(a, b);
}

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

function ms(date: Date, field: string): number {
  const value = date instanceof Date ? date.getTime() : NaN;
  if (!Number.isFinite(value)) {
    throw new InputError(`Invalid ${field}`);
  }
  return value;
}

/** Lengths of the bounded text columns (see the migration). */
const MAX_LENGTH: Record<string, number> = {
  source: 32,
  kind: 32,
  type: 16,
  outcome: 16,
  severity: 64,
  delivery_key: 255,
  incident_key: 255,
  entity_ref: 255,
  team_ref: 255,
  environment: 255,
  golden_template: 255,
  golden_template_name: 255,
  golden_version: 255,
  pipeline_id: 255,
  template: 255,
  template_name: 255,
  template_version: 255,
  ticket_id: 255,
};

/**
 * Rejects values longer than their column, which PostgreSQL would refuse with a
 * database error and SQLite would silently accept.
 */
function checked<T extends Record<string, unknown>>(row: T): T {
  for (const [column, value] of Object.entries(row)) {
    const max = MAX_LENGTH[column];
    if (max !== undefined && typeof value === 'string' && value.length > max) {
      throw new InputError(`${column} is longer than ${max} characters`);
    }
  }
  return row;
}

function toDate(value: number | string | null): Date | null {
  return value === null || value === undefined ? null : new Date(Number(value));
}

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

function mttrSummary(stats: DurationStats, open: number): MttrSummary {
  return {
    medianSeconds: stats.medianSeconds,
    meanSeconds: stats.meanSeconds,
    p90Seconds: stats.p90Seconds,
    count: stats.count,
    open,
  };
}

function goldenPathSummary(total: number, golden: number): GoldenPathSummary {
  return {
    percent: total === 0 ? null : (100 * golden) / total,
    goldenDeployments: golden,
    totalDeployments: total,
  };
}

const TEMPLATE_COLUMN: Record<Table, string | undefined> = {
  deployments: 'golden_template_name',
  service_requests: 'template_name',
  incidents: undefined, // incidents carry no template
};

const GROUP_COLUMN = {
  team: 'team_ref',
  service: 'entity_ref',
  severity: 'severity',
} as const;

/** Correlates `incident_events e` with the `incidents` row being updated. */
const SAME_INCIDENT =
  'e.source = incidents.source AND e.incident_key = incidents.incident_key';
const OPENING = `e.type IN ('triggered', 'reopened')`;
const LAST_RESOLVED = `MAX(CASE WHEN e.type = 'resolved' THEN e.occurred_at_ms END)`;
const LAST_OPENED = `MAX(CASE WHEN ${OPENING} THEN e.occurred_at_ms END)`;

function latestNonNull(column: string): string {
  return `(SELECT e.${column} FROM incident_events e
    WHERE ${SAME_INCIDENT} AND e.${column} IS NOT NULL
    ORDER BY e.occurred_at_ms DESC, e.seq DESC LIMIT 1)`;
}

const DEPLOYMENT_COLUMNS = [
  'id',
  'source',
  'entity_ref',
  'team_ref',
  'environment',
  'outcome',
  'deployed_at_ms',
  'golden_template',
  'golden_version',
  'pipeline_id',
];

function deploymentFromRow(r: Record<string, any>): DeploymentRow {
  return {
    id: r.id,
    source: r.source,
    entityRef: r.entity_ref,
    teamRef: r.team_ref,
    environment: r.environment,
    outcome: r.outcome,
    deployedAt: toDate(r.deployed_at_ms)!,
    goldenTemplate: r.golden_template,
    goldenVersion: r.golden_version,
    pipelineId: r.pipeline_id,
  };
}

const INCIDENT_COLUMNS = [
  'id',
  'source',
  'incident_key',
  'entity_ref',
  'team_ref',
  'severity',
  'title',
  'url',
  'started_at_ms',
  'resolved_at_ms',
  'baseline',
];

function incidentFromRow(r: Record<string, any>): IncidentRow {
  return {
    id: r.id,
    source: r.source,
    incidentKey: r.incident_key,
    entityRef: r.entity_ref,
    teamRef: r.team_ref,
    severity: r.severity,
    title: r.title,
    url: r.url,
    startedAt: toDate(r.started_at_ms)!,
    resolvedAt: toDate(r.resolved_at_ms),
    baseline: Boolean(r.baseline),
  };
}

const SERVICE_REQUEST_COLUMNS = [
  'id',
  'source',
  'entity_ref',
  'team_ref',
  'template',
  'template_version',
  'requested_at_ms',
  'ready_at_ms',
  'observability_verified',
  'ticket_id',
  'baseline',
];

function serviceRequestFromRow(r: Record<string, any>): ServiceRequestRow {
  return {
    id: r.id,
    source: r.source,
    entityRef: r.entity_ref,
    teamRef: r.team_ref,
    template: r.template,
    templateVersion: r.template_version,
    requestedAt: toDate(r.requested_at_ms)!,
    readyAt: toDate(r.ready_at_ms),
    observabilityVerified: Boolean(r.observability_verified),
    ticketId: r.ticket_id,
    baseline: Boolean(r.baseline),
  };
}

/**
 * Stores ingested records idempotently and computes the platform value metrics in SQL,
 * identically on SQLite and PostgreSQL. Instants are compared and subtracted as epoch
 * milliseconds (`*_ms` columns).
 */
export class DatabaseMetricsStore implements MetricsStore {
  private readonly isPostgres: boolean;

  private constructor(private readonly db: Knex) {
    this.isPostgres = String(db.client.config.client).includes('pg');
  }

  /** The schema must be migrated already (`applyDatabaseMigrations`). */
  static async create({ knex }: { knex: Knex }): Promise<DatabaseMetricsStore> {
    return new DatabaseMetricsStore(knex);
  }

  // ---------------------------------------------------------------- ingestion

  async ingest(records: AttributedRecord[]): Promise<IngestResult> {
    // A key repeated within the batch counts once: the first occurrence wins.
    const unique = new Map<string, AttributedRecord>();
    for (const record of records) {
      const id = deliveryId(record.source, record.deliveryKey);
      if (!unique.has(id)) {
        unique.set(id, record);
      }
    }
    // Sorted, so concurrent batches take the delivery-key row locks in one order.
    const candidates = [...unique.entries()]
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([, record]) => record);
    if (candidates.length === 0) {
      return { stored: 0, duplicates: records.length };
    }

    const stored = await this.db.transaction(async tx => {
      const accepted = await this.claimDeliveries(tx, candidates);
      const deployments: Attributed<DeploymentRecord>[] = [];
      const events: Attributed<IncidentEventRecord>[] = [];
      const requests: Attributed<ServiceRequestRecord>[] = [];
      for (const record of accepted) {
        if (record.kind === 'deployment') deployments.push(record);
        else if (record.kind === 'incident') events.push(record);
        else requests.push(record);
      }

      await this.insertDeployments(tx, deployments);
      await this.insertIncidentEvents(tx, events);
      await this.insertServiceRequests(tx, requests);

      // Live requests whose readiness may have changed: those just requested, and
      // those of entities that just deployed successfully to production.
      const entities = new Set<string>();
      for (const r of requests) {
        if (r.source !== 'baseline') entities.add(r.entityRef);
      }
      for (const d of deployments) {
        const entityRef = d.attribution.entityRef;
        if (
          entityRef &&
          d.source !== 'baseline' &&
          d.production &&
          d.outcome === 'success'
        ) {
          entities.add(entityRef);
        }
      }
      const incidents = new Map<string, [string, string]>();
      for (const e of events) {
        incidents.set(deliveryId(e.source, e.incidentKey), [
          e.source,
          e.incidentKey,
        ]);
      }

      // Recomputations read rows other replicas may be writing: serialize per entity
      // and per incident (PostgreSQL; SQLite has a single writer anyway).
      await this.lock(tx, [
        ...[...entities].map(e => `entity:${e}`),
        ...[...incidents.keys()].map(i => `incident:${i}`),
      ]);
      await this.recomputeReadiness(tx, [...entities].sort());
      await this.recomputeIncidents(
        tx,
        [...incidents.entries()]
          .sort(([a], [b]) => compareStrings(a, b))
          .map(([, pair]) => pair),
        events,
      );
      return accepted.length;
    });
    return { stored, duplicates: records.length - stored };
  }

  /** Inserts the delivery keys, ignoring those stored before; returns the new ones. */
  private async claimDeliveries(
    tx: Knex.Transaction,
    candidates: AttributedRecord[],
  ): Promise<AttributedRecord[]> {
    const accepted: AttributedRecord[] = [];
    for (const chunk of chunks(candidates)) {
      const inserted: Array<{ source: string; delivery_key: string }> =
        await tx('ingest_deliveries')
          .insert(
            chunk.map(r =>
              checked({
                source: r.source,
                delivery_key: r.deliveryKey,
                kind: r.kind,
              }),
            ),
          )
          .onConflict(['source', 'delivery_key'])
          .ignore()
          .returning(['source', 'delivery_key']);
      const ids = new Set(
        inserted.map(i => deliveryId(i.source, i.delivery_key)),
      );
      accepted.push(
        ...chunk.filter(r => ids.has(deliveryId(r.source, r.deliveryKey))),
      );
    }
    return accepted;
  }

  private async insertDeployments(
    tx: Knex.Transaction,
    records: Attributed<DeploymentRecord>[],
  ): Promise<void> {
    const rows = records.map(r =>
      checked({
        id: randomUUID(),
        source: r.source,
        delivery_key: r.deliveryKey,
        entity_ref: r.attribution.entityRef ?? null,
        team_ref: r.attribution.teamRef ?? null,
        environment: r.environment,
        production: Boolean(r.production),
        outcome: r.outcome,
        deployed_at: r.occurredAt,
        deployed_at_ms: ms(r.occurredAt, 'deployment time'),
        golden_template: r.goldenPath?.template ?? null,
        golden_template_name: templateName(r.goldenPath?.template),
        golden_version: r.goldenPath?.version ?? null,
        pipeline_id: r.pipelineId ?? null,
        observability_declared: Boolean(r.observabilityDeclared),
        baseline: r.source === 'baseline',
      }),
    );
    for (const chunk of chunks(rows)) {
      await tx('deployments').insert(chunk);
    }
  }

  private async insertIncidentEvents(
    tx: Knex.Transaction,
    records: Attributed<IncidentEventRecord>[],
  ): Promise<void> {
    const rows = records.map(r =>
      checked({
        source: r.source,
        delivery_key: r.deliveryKey,
        incident_key: r.incidentKey,
        type: r.type,
        occurred_at: r.occurredAt,
        occurred_at_ms: ms(r.occurredAt, 'incident event time'),
        entity_ref: r.attribution.entityRef ?? null,
        team_ref: r.attribution.teamRef ?? null,
        severity: r.severity ?? null,
        title: r.title ?? null,
        url: r.url ?? null,
      }),
    );
    for (const chunk of chunks(rows)) {
      await tx('incident_events').insert(chunk);
    }
  }

  private async insertServiceRequests(
    tx: Knex.Transaction,
    records: Attributed<ServiceRequestRecord>[],
  ): Promise<void> {
    const rows = records.map(r => {
      const baseline = r.source === 'baseline';
      // Ticket-era requests carry when they reached production; live ones get it
      // from the deployments (recomputeReadiness).
      const readyAt = baseline ? r.inProductionAt ?? null : null;
      return checked({
        id: randomUUID(),
        source: r.source,
        delivery_key: r.deliveryKey,
        entity_ref: r.entityRef,
        team_ref: r.team ?? r.attribution.teamRef ?? null,
        template: r.template ?? null,
        template_name: templateName(r.template),
        template_version: r.templateVersion ?? null,
        requested_at: r.requestedAt,
        requested_at_ms: ms(r.requestedAt, 'request time'),
        ready_at: readyAt,
        ready_at_ms: readyAt ? ms(readyAt, 'production time') : null,
        observability_verified: false,
        ticket_id: r.ticketId ?? null,
        baseline,
      });
    });
    for (const chunk of chunks(rows)) {
      await tx('service_requests').insert(chunk);
    }
  }

  /**
   * PostgreSQL: transaction-scoped advisory locks, taken in one sorted order so that
   * concurrent ingests cannot deadlock. Each later statement sees what the previous
   * holder committed (READ COMMITTED takes a new snapshot per statement).
   */
  private async lock(tx: Knex.Transaction, keys: string[]): Promise<void> {
    if (!this.isPostgres || keys.length === 0) {
      return;
    }
    const ids = [
      ...new Set(
        keys.map(k => createHash('sha256').update(k).digest().readInt32BE(0)),
      ),
    ].sort((a, b) => a - b);
    for (const chunk of chunks(ids, 5000)) {
      // Volatile functions in the select list run after the sort: locks in order.
      await tx.raw(
        'SELECT pg_advisory_xact_lock(?, k) FROM unnest(?::int[]) AS t(k) ORDER BY k',
        [LOCK_NAMESPACE, chunk],
      );
    }
  }

  /**
   * Sets each live request's `ready_at` to its entity's earliest successful live
   * production deployment at or after the request, whichever order they arrived in.
   */
  private async recomputeReadiness(
    tx: Knex.Transaction,
    entityRefs: string[],
  ): Promise<void> {
    for (const chunk of chunks(entityRefs)) {
      const requests = () =>
        tx('service_requests')
          .where('baseline', false)
          .whereIn('entity_ref', chunk);
      await requests().update({
        ready_deployment_id: tx.raw(
          `(SELECT d.id FROM deployments d
            WHERE d.entity_ref = service_requests.entity_ref
              AND d.production = ? AND d.outcome = 'success' AND d.baseline = ?
              AND d.deployed_at_ms >= service_requests.requested_at_ms
            ORDER BY d.deployed_at_ms ASC, d.observability_declared DESC, d.id ASC
            LIMIT 1)`,
          [true, false],
        ),
      });
      const ofReadyDeployment = (column: string) =>
        `(SELECT d.${column} FROM deployments d WHERE d.id = service_requests.ready_deployment_id)`;
      await requests().update({
        ready_at: tx.raw(ofReadyDeployment('deployed_at')),
        ready_at_ms: tx.raw(ofReadyDeployment('deployed_at_ms')),
        observability_verified: tx.raw(
          `COALESCE(${ofReadyDeployment('observability_declared')}, ?)`,
          [false],
        ),
      });
    }
  }

  /**
   * Rebuilds each touched incident from all its stored events: started at the
   * earliest `triggered` (else the earliest event); resolved at the latest `resolved`
   * unless a `triggered`/`reopened` came later; latest non-null attributes.
   */
  private async recomputeIncidents(
    tx: Knex.Transaction,
    pairs: Array<[string, string]>,
    events: IncidentEventRecord[],
  ): Promise<void> {
    const firstSeen = new Map<string, Date>();
    for (const e of events) {
      const id = deliveryId(e.source, e.incidentKey);
      if (!firstSeen.has(id)) firstSeen.set(id, e.occurredAt);
    }
    for (const chunk of chunks(pairs)) {
      // Placeholder rows for new incidents; every column is recomputed below.
      await tx('incidents')
        .insert(
          chunk.map(([source, incidentKey]) => {
            const at = firstSeen.get(deliveryId(source, incidentKey))!;
            return {
              id: randomUUID(),
              source,
              incident_key: incidentKey,
              started_at: at,
              started_at_ms: at.getTime(),
              baseline: source === 'baseline',
            };
          }),
        )
        .onConflict(['source', 'incident_key'])
        .ignore();

      const incidents = () =>
        tx('incidents').whereIn(['source', 'incident_key'], chunk);
      await incidents().update({
        started_at_ms: tx.raw(
          `COALESCE(
            (SELECT MIN(e.occurred_at_ms) FROM incident_events e
              WHERE ${SAME_INCIDENT} AND e.type = 'triggered'),
            (SELECT MIN(e.occurred_at_ms) FROM incident_events e
              WHERE ${SAME_INCIDENT}))`,
        ),
        resolved_at_ms: tx.raw(
          `(SELECT CASE
              WHEN ${LAST_RESOLVED} IS NOT NULL
               AND (${LAST_OPENED} IS NULL OR ${LAST_OPENED} <= ${LAST_RESOLVED})
              THEN ${LAST_RESOLVED} END
            FROM incident_events e WHERE ${SAME_INCIDENT})`,
        ),
        entity_ref: tx.raw(latestNonNull('entity_ref')),
        team_ref: tx.raw(latestNonNull('team_ref')),
        severity: tx.raw(latestNonNull('severity')),
        title: tx.raw(latestNonNull('title')),
        url: tx.raw(latestNonNull('url')),
      });
      // The readable timestamps follow the millisecond columns just set.
      const eventAt = (column: string) =>
        tx.raw(`(SELECT e.occurred_at FROM incident_events e
          WHERE ${SAME_INCIDENT} AND e.occurred_at_ms = incidents.${column} LIMIT 1)`);
      await incidents().update({
        started_at: eventAt('started_at_ms'),
        resolved_at: eventAt('resolved_at_ms'),
      });
    }
  }

  // ------------------------------------------------------------------ metrics

  /** Rows of `table` matching the query's era, team and template. */
  private filtered(table: Table, query: MetricsQuery): Knex.QueryBuilder {
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

  private period(query: MetricsQuery): { from: number; to: number } {
    return { from: ms(query.from, 'from'), to: ms(query.to, 'to') };
  }

  /** Successful production deployments in the period. */
  private productionDeployments(query: MetricsQuery): Knex.QueryBuilder {
    const { from, to } = this.period(query);
    return this.filtered('deployments', query)
      .where('deployments.production', true)
      .where('deployments.outcome', 'success')
      .where('deployments.deployed_at_ms', '>=', from)
      .where('deployments.deployed_at_ms', '<', to);
  }

  private groupKey(column: string | undefined): Knex.Raw {
    return this.db.raw(column ? `${column} AS g` : 'NULL AS g');
  }

  /** `COUNT(*)` per group of `qb` (one row when ungrouped), keyed by group. */
  private async countBy(
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

  private async leadTimeBy(
    query: MetricsQuery,
    column: string | undefined,
  ): Promise<Map<string | null, LeadTimeSummary>> {
    const { from, to } = this.period(query);
    const durations = this.filtered('service_requests', query)
      .select(
        this.groupKey(column),
        this.db.raw('ready_at_ms - requested_at_ms AS v'),
        this.db.raw('CASE WHEN observability_verified THEN 0 ELSE 1 END AS u'),
      )
      .where('ready_at_ms', '>=', from)
      .where('ready_at_ms', '<', to);
    const inFlight = this.filtered('service_requests', query)
      .where('requested_at_ms', '<', to)
      .where(q => q.whereNull('ready_at_ms').orWhere('ready_at_ms', '>=', to));
    const [stats, inFlightCounts] = await Promise.all([
      durationStatsByGroup(this.db, durations),
      this.countBy(inFlight, column),
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

  private async mttrBy(
    query: MetricsQuery,
    column: string | undefined,
  ): Promise<Map<string | null, MttrSummary>> {
    const { from, to } = this.period(query);
    const durations = this.filtered('incidents', query)
      .select(
        this.groupKey(column),
        this.db.raw('resolved_at_ms - started_at_ms AS v'),
        this.db.raw('0 AS u'),
      )
      .where('resolved_at_ms', '>=', from)
      .where('resolved_at_ms', '<', to);
    const open = this.openIncidents(this.filtered('incidents', query), to);
    const [stats, openCounts] = await Promise.all([
      durationStatsByGroup(this.db, durations),
      this.countBy(open, column),
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

  /** Started before `to` and not resolved by then. */
  private openIncidents(qb: Knex.QueryBuilder, to: number): Knex.QueryBuilder {
    return qb
      .where('started_at_ms', '<', to)
      .where(q =>
        q.whereNull('resolved_at_ms').orWhere('resolved_at_ms', '>=', to),
      );
  }

  private async goldenPathBy(
    query: MetricsQuery,
    column: string | undefined,
  ): Promise<Map<string | null, GoldenPathSummary>> {
    const qb = this.productionDeployments(query).select(
      this.groupKey(column),
      this.db.raw('COUNT(*) AS total'),
      this.db.raw(
        'SUM(CASE WHEN golden_template IS NOT NULL THEN 1 ELSE 0 END) AS golden',
      ),
    );
    if (column) {
      qb.groupBy(column);
    }
    const rows: Array<{
      g: string | null;
      total: number | string;
      golden: number | string | null;
    }> = await qb;
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

  private static toBreakdown<T>(map: Map<string | null, T>): Breakdown<T>[] {
    return [...map.entries()]
      .map(([key, value]) => ({ key, value }))
      .sort((a, b) => compareKeys(a.key, b.key));
  }

  async leadTime(query: MetricsQuery): Promise<LeadTimeSummary> {
    const all = await this.leadTimeBy(query, undefined);
    return all.get(null) ?? leadTimeSummary(EMPTY_STATS, 0);
  }

  async goldenPath(query: MetricsQuery): Promise<GoldenPathSummary> {
    const all = await this.goldenPathBy(query, undefined);
    return all.get(null) ?? goldenPathSummary(0, 0);
  }

  async mttr(query: MetricsQuery): Promise<MttrSummary> {
    const all = await this.mttrBy(query, undefined);
    return all.get(null) ?? mttrSummary(EMPTY_STATS, 0);
  }

  async leadTimeBreakdown(
    query: MetricsQuery,
    by: 'team' | 'template',
  ): Promise<Breakdown<LeadTimeSummary>[]> {
    const column = by === 'team' ? 'team_ref' : 'template_name';
    return DatabaseMetricsStore.toBreakdown(
      await this.leadTimeBy(query, column),
    );
  }

  async goldenPathBreakdown(
    query: MetricsQuery,
    by: 'team' | 'template',
  ): Promise<Breakdown<GoldenPathSummary>[]> {
    const column = by === 'team' ? 'team_ref' : 'golden_template_name';
    return DatabaseMetricsStore.toBreakdown(
      await this.goldenPathBy(query, column),
    );
  }

  async mttrBreakdown(
    query: MetricsQuery,
    by: 'team' | 'service' | 'severity',
  ): Promise<Breakdown<MttrSummary>[]> {
    return DatabaseMetricsStore.toBreakdown(
      await this.mttrBy(query, GROUP_COLUMN[by]),
    );
  }

  // -------------------------------------------------------------- drill-downs

  async listDeployments(
    query: MetricsQuery & { goldenPath?: boolean },
    limit: number,
  ): Promise<DeploymentRow[]> {
    const qb = this.productionDeployments(query);
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

  async listIncidents(
    query: MetricsQuery & { state?: 'resolved' | 'open' },
    limit: number,
  ): Promise<IncidentRow[]> {
    const { from, to } = this.period(query);
    const qb = this.incidentsInPeriod(query, from, to, query.state);
    const rows = await qb
      .select(...INCIDENT_COLUMNS)
      .orderBy([
        { column: 'started_at_ms', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(sanitizeLimit(limit));
    return rows.map(incidentFromRow);
  }

  /** Incidents resolved in the period and/or open at its end. */
  private incidentsInPeriod(
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

  async listServiceRequests(
    query: MetricsQuery & { state?: 'ready' | 'in-flight' },
    limit: number,
  ): Promise<ServiceRequestRow[]> {
    const { from, to } = this.period(query);
    const ready = (q: Knex.QueryBuilder) =>
      q.where('ready_at_ms', '>=', from).where('ready_at_ms', '<', to);
    const inFlight = (q: Knex.QueryBuilder) =>
      q
        .where('requested_at_ms', '<', to)
        .where(w =>
          w.whereNull('ready_at_ms').orWhere('ready_at_ms', '>=', to),
        );
    let qb = this.filtered('service_requests', query);
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

  async listOffPathServices(query: MetricsQuery): Promise<OffPathService[]> {
    // One row per entity (null = unattributed), with the team of its latest deployment.
    const offPath = this.productionDeployments(query)
      .whereNull('golden_template')
      .select(
        'entity_ref',
        'team_ref',
        this.db.raw(
          'ROW_NUMBER() OVER (PARTITION BY entity_ref ORDER BY deployed_at_ms DESC, id DESC) AS rn',
        ),
        this.db.raw('COUNT(*) OVER (PARTITION BY entity_ref) AS n'),
      );
    const rows: Array<{
      entity_ref: string | null;
      team_ref: string | null;
      n: number | string;
    }> = await this.db
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

  async dataQuality(query: MetricsQuery): Promise<DataQuality> {
    const { from, to } = this.period(query);
    const [deployments, incidents, withoutRequest] = await Promise.all([
      this.filtered('deployments', query)
        .whereNull('entity_ref')
        .where('deployed_at_ms', '>=', from)
        .where('deployed_at_ms', '<', to)
        .count({ n: '*' })
        .first(),
      this.incidentsInPeriod(query, from, to)
        .whereNull('entity_ref')
        .count({ n: '*' })
        .first(),
      this.productionDeployments(query)
        .whereNotNull('deployments.entity_ref')
        .whereNotExists(
          this.db('service_requests')
            .select(this.db.raw('1'))
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
}

function sanitizeLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
}
