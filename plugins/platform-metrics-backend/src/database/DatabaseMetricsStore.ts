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
    const [result] = await this.ingestGroups([records]);
    return result;
  }

  /**
   * Stores the records of several deliveries in one transaction (group commit) and
   * answers for each as if they had been stored one after the other, in the order
   * given: a key stored before, or by an earlier group, is that group's duplicate.
   * All or nothing like {@link ingest}, so a caller that combined deliveries from
   * different senders stores them one by one when this rejects.
   */
  async ingestGroups(groups: AttributedRecord[][]): Promise<IngestResult[]> {
    // A key repeated within the batch counts once: the first occurrence wins.
    const unique = new Map<
      string,
      { record: AttributedRecord; group: number }
    >();
    groups.forEach((records, group) => {
      for (const record of records) {
        const id = deliveryId(record.source, record.deliveryKey);
        if (!unique.has(id)) {
          unique.set(id, { record, group });
        }
      }
    });
    // Sorted, so concurrent batches take the delivery-key row locks in one order.
    const candidates = [...unique.entries()]
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([, { record }]) => record);
    const stored = groups.map(() => 0);
    if (candidates.length > 0) {
      for (const id of await this.storeCandidates(candidates)) {
        stored[unique.get(id)!.group] += 1;
      }
    }
    return groups.map((records, group) => ({
      stored: stored[group],
      duplicates: records.length - stored[group],
    }));
  }

  /** Stores unique, sorted records; returns the delivery ids that were new. */
  private async storeCandidates(
    candidates: AttributedRecord[],
  ): Promise<string[]> {
    const ids = (records: AttributedRecord[]) =>
      records.map(r => deliveryId(r.source, r.deliveryKey));
    if (
      this.isPostgres &&
      candidates.length <= CHUNK &&
      !candidates.some(
        r => r.kind === 'incident' || this.readinessEntity(r) !== undefined,
      )
    ) {
      // Nothing to recompute, hence nothing to lock: the one statement that claims
      // the keys and inserts the rows is the whole transaction, committed before it
      // answers. Saves BEGIN and COMMIT, two of the three round trips.
      return ids(await this.claimAndInsert(this.db, candidates));
    }

    return this.db.transaction(async tx => {
      const accepted: AttributedRecord[] = [];
      if (this.isPostgres) {
        for (const chunk of chunks(candidates)) {
          accepted.push(...(await this.claimAndInsert(tx, chunk)));
        }
      } else {
        accepted.push(...(await this.claimDeliveries(tx, candidates)));
        const { deployments, events, requests } = this.byKind(accepted);
        await this.insertDeployments(tx, deployments);
        await this.insertIncidentEvents(tx, events);
        await this.insertServiceRequests(tx, requests);
      }

      // Live requests whose readiness may have changed: those just requested, and
      // those of entities that just deployed successfully to production.
      const entities = new Set<string>();
      const incidents = new Map<string, [string, string]>();
      const events: Attributed<IncidentEventRecord>[] = [];
      for (const record of accepted) {
        const entityRef = this.readinessEntity(record);
        if (entityRef !== undefined) entities.add(entityRef);
        if (record.kind === 'incident') {
          events.push(record);
          incidents.set(deliveryId(record.source, record.incidentKey), [
            record.source,
            record.incidentKey,
          ]);
        }
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
      return ids(accepted);
    });
  }

  /**
   * PostgreSQL: claims the delivery keys and inserts the rows of the keys it claimed
   * in one statement, data-modifying CTEs joined on what the claim returned, rather
   * than one round trip per table (a round trip costs more CPU than the insert on a
   * busy host). Each table's rows travel as one typed array per column.
   */
  private async claimAndInsert(
    db: Knex | Knex.Transaction,
    candidates: AttributedRecord[],
  ): Promise<AttributedRecord[]> {
    const bindings: unknown[] = [];
    const claims = candidates.map(r =>
      checked({ source: r.source, delivery_key: r.deliveryKey, kind: r.kind }),
    );
    const claimRows = this.unnestRows(claims, bindings);
    const ctes = [
      `claimed AS (
        INSERT INTO ingest_deliveries (source, delivery_key, kind)
        SELECT source, delivery_key, kind FROM ${claimRows}
        ORDER BY ord
        ON CONFLICT (source, delivery_key) DO NOTHING
        RETURNING source, delivery_key)`,
    ];
    const { deployments, events, requests } = this.byKind(candidates);
    const tables: Array<[string, Record<string, unknown>[]]> = [
      ['deployments', this.deploymentRows(deployments)],
      ['incident_events', this.incidentEventRows(events)],
      ['service_requests', this.serviceRequestRows(requests)],
    ];
    for (const [table, rows] of tables) {
      if (rows.length === 0) continue;
      const columns = Object.keys(rows[0]);
      ctes.push(`${table}_new AS (
        INSERT INTO ${table} (${columns.join(', ')})
        SELECT ${columns.map(c => `v.${c}`).join(', ')}
        FROM ${this.unnestRows(rows, bindings)}
        JOIN claimed c ON c.source = v.source AND c.delivery_key = v.delivery_key)`);
    }
    const { rows: claimed } = await db.raw<{
      rows: Array<{ source: string; delivery_key: string }>;
    }>(
      `WITH ${ctes.join(',\n')}\nSELECT source, delivery_key FROM claimed`,
      bindings as Knex.RawBinding[],
    );
    const ids = new Set(claimed.map(c => deliveryId(c.source, c.delivery_key)));
    return candidates.filter(r => ids.has(deliveryId(r.source, r.deliveryKey)));
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
    for (const chunk of chunks(this.deploymentRows(records))) {
      await tx('deployments').insert(chunk);
    }
  }

  private deploymentRows(records: Attributed<DeploymentRecord>[]) {
    return records.map(r =>
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
  }

  private async insertIncidentEvents(
    tx: Knex.Transaction,
    records: Attributed<IncidentEventRecord>[],
  ): Promise<void> {
    for (const chunk of chunks(this.incidentEventRows(records))) {
      await tx('incident_events').insert(chunk);
    }
  }

  private incidentEventRows(records: Attributed<IncidentEventRecord>[]) {
    return records.map(r =>
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
  }

  private async insertServiceRequests(
    tx: Knex.Transaction,
    records: Attributed<ServiceRequestRecord>[],
  ): Promise<void> {
    for (const chunk of chunks(this.serviceRequestRows(records))) {
      await tx('service_requests').insert(chunk);
    }
  }

  private serviceRequestRows(records: Attributed<ServiceRequestRecord>[]) {
    return records.map(r => {
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
      if (this.isPostgres) {
        // The two updates below in one statement, writing only the requests whose
        // deployment changed (a deployment row never changes once stored).
        await tx.raw(
          `UPDATE service_requests AS sr SET
             ready_deployment_id = r.id,
             ready_at = r.deployed_at,
             ready_at_ms = r.deployed_at_ms,
             observability_verified = COALESCE(r.observability_declared, false)
           FROM service_requests AS s
           LEFT JOIN LATERAL (
             SELECT d.id, d.deployed_at, d.deployed_at_ms, d.observability_declared
             FROM deployments d
             WHERE d.entity_ref = s.entity_ref
               AND d.production AND d.outcome = 'success' AND NOT d.baseline
               AND d.deployed_at_ms >= s.requested_at_ms
             ORDER BY d.deployed_at_ms ASC, d.observability_declared DESC, d.id ASC
             LIMIT 1) r ON true
           WHERE sr.id = s.id AND NOT s.baseline AND s.entity_ref = ANY(?::text[])
             AND sr.ready_deployment_id IS DISTINCT FROM r.id`,
          [chunk],
        );
        continue;
      }
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

  /** The records of each kind, in their order. */
  private byKind(records: AttributedRecord[]) {
    const deployments: Attributed<DeploymentRecord>[] = [];
    const events: Attributed<IncidentEventRecord>[] = [];
    const requests: Attributed<ServiceRequestRecord>[] = [];
    for (const record of records) {
      if (record.kind === 'deployment') deployments.push(record);
      else if (record.kind === 'incident') events.push(record);
      else requests.push(record);
    }
    return { deployments, events, requests };
  }

  /**
   * The entity whose live requests' readiness a record may change: a live request's
   * own, or that of a successful live production deployment.
   */
  private readinessEntity(record: AttributedRecord): string | undefined {
    if (record.source === 'baseline') return undefined;
    if (record.kind === 'service-request') return record.entityRef;
    if (
      record.kind === 'deployment' &&
      record.attribution.entityRef &&
      record.production &&
      record.outcome === 'success'
    ) {
      return record.attribution.entityRef;
    }
    return undefined;
  }

  /** PostgreSQL types of the columns that are not text, for {@link unnestRows}. */
  private static readonly pgColumnTypes: Record<string, string> = {
    id: 'uuid',
    production: 'boolean',
    observability_declared: 'boolean',
    observability_verified: 'boolean',
    baseline: 'boolean',
    deployed_at: 'timestamptz',
    occurred_at: 'timestamptz',
    requested_at: 'timestamptz',
    ready_at: 'timestamptz',
    deployed_at_ms: 'bigint',
    occurred_at_ms: 'bigint',
    requested_at_ms: 'bigint',
    ready_at_ms: 'bigint',
  };

  /**
   * `unnest(?::type[], …) WITH ORDINALITY AS v(columns…, ord)` over `rows` (all with
   * the same keys, from one row builder), pushing one array per column to `bindings`.
   * Column names come from this file, never from input.
   */
  private unnestRows(
    rows: Record<string, unknown>[],
    bindings: unknown[],
  ): string {
    const columns = Object.keys(rows[0]);
    for (const column of columns) {
      bindings.push(rows.map(row => row[column] ?? null));
    }
    const types = columns.map(
      c => `?::${DatabaseMetricsStore.pgColumnTypes[c] ?? 'text'}[]`,
    );
    return `unnest(${types.join(', ')}) WITH ORDINALITY AS v(${columns.join(
      ', ',
    )}, ord)`;
  }

  // ------------------------------------------------------------------ metrics

  /** `deployment_rollups.grain` of a UTC day and of a UTC month. */
  private static readonly ROLLUP_DAY = 1;
  private static readonly ROLLUP_MONTH = 2;
  /** Reads start at most one catch-up per second and store. */
  private static readonly ROLLUP_CATCH_UP_INTERVAL_MS = 1000;
  /** The catch-up's advisory lock, in the ingestion's namespace and key space. */
  private static readonly ROLLUP_LOCK_KEY = createHash('sha256')
    .update('rollup:deployments')
    .digest()
    .readInt32BE(0);

  /** The background rollup catch-up in flight, if any (PostgreSQL). */
  private rollupCatchUp?: Promise<void>;
  private rollupCatchUpStartedAt = 0;
  /** The rollup watermark the last read saw (PostgreSQL). */
  private rollupWatermark?: string;

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
    const rows = this.isPostgres
      ? await this.goldenPathCountsWithRollup(query, column)
      : await this.goldenPathCounts(this.productionDeployments(query), column);
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

  /** Deployments and golden-path deployments per group of `qb`'s deployments. */
  private goldenPathCounts(
    qb: Knex.QueryBuilder,
    column: string | undefined,
  ): Promise<GoldenPathCountRow[]> {
    qb.select(
      this.groupKey(column),
      this.db.raw('COUNT(*) AS total'),
      this.db.raw(
        'SUM(CASE WHEN golden_template IS NOT NULL THEN 1 ELSE 0 END) AS golden',
      ),
    );
    if (column) {
      qb.groupBy(column);
    }
    return qb;
  }

  /**
   * {@link goldenPathCounts} of the period from `deployment_rollups` (PostgreSQL):
   * whole UTC months and days from the rollup, the partial days at either end and
   * the rows the rollup has not counted yet (`ins_xid` at or above the watermark,
   * read in the same statement, hence the same snapshot) from `deployments`. Exact
   * however far behind the rollup is; see the 20261127090000 migration.
   */
  private async goldenPathCountsWithRollup(
    query: MetricsQuery,
    column: string | undefined,
  ): Promise<GoldenPathCountRow[]> {
    const { from, to } = this.period(query);
    const buckets = rollupBuckets(from, to);
    if (!buckets) {
      // Less than one whole day: the raw rows are few.
      return this.goldenPathCounts(this.productionDeployments(query), column);
    }
    const inRanges =
      (col: string, ranges: Range[]) => (qb: Knex.QueryBuilder) => {
        for (const [start, end] of ranges) {
          qb.orWhere(r => r.where(col, '>=', start).where(col, '<', end));
        }
      };
    const fromRollup = (grain: number, ranges: Range[]) => {
      const qb = this.db('deployment_rollups')
        .where('baseline', Boolean(query.baseline))
        .where('grain', grain)
        .where(inRanges('bucket_ms', ranges))
        .select(this.groupKey(column), 'total', 'golden');
      // The same filters as `filtered`, on the rollup's copies of the columns.
      if (query.team) {
        qb.where('team_ref', query.team);
      }
      if (query.template) {
        qb.where('golden_template_name', templateName(query.template));
      }
      return qb;
    };
    const fromDeployments = (ranges: Range[]) =>
      this.filtered('deployments', query)
        .where('deployments.production', true)
        .where('deployments.outcome', 'success')
        .where(inRanges('deployments.deployed_at_ms', ranges))
        .select(
          this.groupKey(column),
          this.db.raw('1 AS total'),
          this.db.raw(
            'CASE WHEN golden_template IS NOT NULL THEN 1 ELSE 0 END AS golden',
          ),
        );

    // Rows below the watermark come from the rollup, the others from deployments.
    // The watermark is passed as a value, so that the planner sees how few rows lie
    // above it and uses the index; the statement returns the watermark of its own
    // snapshot too, and when a catch-up has moved it (rows counted twice or not at
    // all) runs again with the new one. Catch-ups are rare: one statement, mostly.
    const count = async (db: Knex | Knex.Transaction, watermark: string) => {
      const parts: Knex.QueryBuilder[] = [
        fromDeployments([buckets.counted]).whereRaw(
          'deployments.ins_xid >= ?::xid8',
          [watermark],
        ),
      ];
      if (buckets.months.length > 0) {
        parts.push(
          fromRollup(DatabaseMetricsStore.ROLLUP_MONTH, buckets.months),
        );
      }
      if (buckets.days.length > 0) {
        parts.push(fromRollup(DatabaseMetricsStore.ROLLUP_DAY, buckets.days));
      }
      if (buckets.edges.length > 0) {
        parts.push(fromDeployments(buckets.edges));
      }
      const union = parts.map(() => '?').join(' UNION ALL ');
      const { rows } = await db.raw(
        `SELECT s.watermark::text AS watermark, c.g, c.total, c.golden
        FROM deployment_rollup_state s
        LEFT JOIN (
          SELECT g, SUM(total) AS total, SUM(golden) AS golden
          FROM (${union}) AS p GROUP BY g
        ) AS c ON true
        WHERE s.id = 1`,
        parts,
      );
      return rows as Array<GoldenPathCountRow & { watermark: string }>;
    };
    const readWatermark = async (db: Knex | Knex.Transaction) => {
      const { rows } = await db.raw(
        'SELECT watermark::text AS watermark FROM deployment_rollup_state WHERE id = 1',
      );
      return rows[0].watermark as string;
    };

    let watermark = this.rollupWatermark ?? (await readWatermark(this.db));
    let counted = await count(this.db, watermark);
    for (let retry = 0; counted[0].watermark !== watermark; retry++) {
      watermark = counted[0].watermark;
      if (retry === 2) {
        // Catch-ups kept committing in between: one snapshot for both reads.
        counted = await this.db.transaction(
          async tx => count(tx, await readWatermark(tx)),
          { isolationLevel: 'repeatable read', readOnly: true },
        );
        break;
      }
      counted = await count(this.db, watermark);
    }
    this.rollupWatermark = counted[0].watermark;
    const rows = counted.filter(row => row.total !== null);
    this.scheduleRollupCatchUp();
    return rows;
  }

  /**
   * Starts a catch-up unless one is running or started within the last second.
   * Reads are exact whether or not the rollup is current, so a failed catch-up
   * only costs speed and the next read retries it: there is nothing to report.
   */
  private scheduleRollupCatchUp(): void {
    const now = Date.now();
    if (
      this.rollupCatchUp ||
      now - this.rollupCatchUpStartedAt <
        DatabaseMetricsStore.ROLLUP_CATCH_UP_INTERVAL_MS
    ) {
      return;
    }
    this.rollupCatchUpStartedAt = now;
    this.rollupCatchUp = this.catchUpRollup()
      .catch(() => undefined)
      .finally(() => {
        this.rollupCatchUp = undefined;
      });
  }

  /**
   * Counts the deployments inserted by transactions that have finished since the
   * last catch-up into `deployment_rollups`, and moves the watermark past them.
   * One catch-up at a time across replicas (advisory lock); rollup and watermark
   * change in one transaction, so readers see both before or both after.
   */
  private async catchUpRollup(): Promise<void> {
    await this.db.transaction(async tx => {
      // A crash may lose this commit, but then rollup and watermark together.
      await tx.raw('SET LOCAL synchronous_commit = off');
      const { rows: lock } = await tx.raw(
        'SELECT pg_try_advisory_xact_lock(?, ?) AS locked',
        [LOCK_NAMESPACE, DatabaseMetricsStore.ROLLUP_LOCK_KEY],
      );
      if (!lock[0].locked) {
        return;
      }
      // Every transaction with an id below the oldest one still running has
      // committed or aborted: no row below that id can appear any more.
      const { rows: state } = await tx.raw(
        `SELECT watermark::text AS done,
          pg_snapshot_xmin(pg_current_snapshot())::text AS next
        FROM deployment_rollup_state WHERE id = 1`,
      );
      const { done, next } = state[0] as { done: string; next: string };
      if (BigInt(next) <= BigInt(done)) {
        return;
      }
      // Nothing new: leave the watermark, rather than write on every read.
      const { rows: pending } = await tx.raw(
        `SELECT EXISTS (SELECT 1 FROM deployments
          WHERE production AND outcome = 'success'
            AND ins_xid >= ?::xid8 AND ins_xid < ?::xid8) AS pending`,
        [done, next],
      );
      if (!pending[0].pending) {
        return;
      }
      const updatedRow = sameRollupRow('r', 'd');
      const wasUpdated = sameRollupRow('u', 'd');
      await tx.raw(
        `WITH src AS (
          SELECT baseline, team_ref, golden_template_name,
            deployed_at_ms - ((deployed_at_ms % 86400000) + 86400000) % 86400000 AS day_ms,
            CASE WHEN golden_template IS NOT NULL THEN 1 ELSE 0 END AS golden
          FROM deployments
          WHERE production AND outcome = 'success'
            AND ins_xid >= ?::xid8 AND ins_xid < ?::xid8
        ), days AS (
          SELECT baseline, team_ref, golden_template_name, day_ms,
            COUNT(*) AS total, SUM(golden) AS golden
          FROM src GROUP BY baseline, team_ref, golden_template_name, day_ms
        ), delta AS (
          SELECT ${DatabaseMetricsStore.ROLLUP_DAY}::smallint AS grain, day_ms AS bucket_ms, baseline,
            team_ref, golden_template_name, total, golden
          FROM days
          UNION ALL
          SELECT ${DatabaseMetricsStore.ROLLUP_MONTH}::smallint,
            (extract(epoch FROM date_trunc('month',
              timestamptz 'epoch' + day_ms * interval '1 millisecond', 'UTC')) * 1000)::bigint,
            baseline, team_ref, golden_template_name, SUM(total), SUM(golden)
          FROM days GROUP BY 2, baseline, team_ref, golden_template_name
        ), updated AS (
          UPDATE deployment_rollups r
          SET total = r.total + d.total, golden = r.golden + d.golden
          FROM delta d
          WHERE ${updatedRow}
          RETURNING r.grain, r.bucket_ms, r.baseline, r.team_ref, r.golden_template_name
        )
        INSERT INTO deployment_rollups
          (grain, bucket_ms, baseline, team_ref, golden_template_name, total, golden)
        SELECT grain, bucket_ms, baseline, team_ref, golden_template_name, total, golden
        FROM delta d
        WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE ${wasUpdated})`,
        [done, next],
      );
      await tx.raw(
        'UPDATE deployment_rollup_state SET watermark = ?::xid8 WHERE id = 1',
        [next],
      );
    });
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

interface GoldenPathCountRow {
  g: string | null;
  total: number | string;
  golden: number | string | null;
}

/** Rollup rows `a` and `b` count the same bucket, era, team and template. */
function sameRollupRow(a: string, b: string): string {
  return `${a}.grain = ${b}.grain AND ${a}.bucket_ms = ${b}.bucket_ms
    AND ${a}.baseline = ${b}.baseline
    AND ${a}.team_ref IS NOT DISTINCT FROM ${b}.team_ref
    AND ${a}.golden_template_name IS NOT DISTINCT FROM ${b}.golden_template_name`;
}

/** Start of the UTC day of an epoch-millisecond instant (floored, also before 1970). */
function floorDay(value: number): number {
  const day = 86_400_000;
  return value - (((value % day) + day) % day);
}

function startOfMonth(value: number): number {
  const date = new Date(value);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** A half-open range of epoch milliseconds. */
type Range = [number, number];

/**
 * Splits [from, to) into whole UTC months and days, which the rollup counts, and
 * the partial days at either end (`edges`), which it cannot; `counted` spans the
 * months and days. Undefined when the period holds no whole day.
 */
function rollupBuckets(
  from: number,
  to: number,
):
  | { counted: Range; months: Range[]; days: Range[]; edges: Range[] }
  | undefined {
  const d0 = floorDay(from) === from ? from : floorDay(from + 86_400_000);
  const d1 = floorDay(to);
  if (d0 >= d1) {
    return undefined;
  }
  const first = new Date(d0);
  const m0 =
    startOfMonth(d0) === d0
      ? d0
      : Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1);
  const m1 = startOfMonth(d1);
  const nonEmpty = ([start, end]: Range) => start < end;
  const wholeMonths = m0 < m1;
  const days: Range[] = wholeMonths
    ? [
        [d0, m0],
        [m1, d1],
      ]
    : [[d0, d1]];
  const edges: Range[] = [
    [from, d0],
    [d1, to],
  ];
  return {
    counted: [d0, d1],
    months: wholeMonths ? [[m0, m1]] : [],
    days: days.filter(nonEmpty),
    edges: edges.filter(nonEmpty),
  };
}
