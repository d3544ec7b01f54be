import type {
  GoldenPathSummary,
  LeadTimeSummary,
  MttrSummary,
} from '@internal/plugin-platform-metrics-common';
import { Knex } from 'knex';
import type { ProductionDeploymentFacts } from '../checks/ServiceVerifications';
import { dataQuality } from './metrics/dataQuality';
import { DeliveryWriter } from './metrics/DeliveryWriter';
import { DeploymentRollup } from './metrics/DeploymentRollup';
import { DrillDowns } from './metrics/DrillDowns';
import { GoldenPathQuery } from './metrics/GoldenPathQuery';
import { IncidentDurationRollup } from './metrics/IncidentDurationRollup';
import { lastCompletionBefore } from './metrics/lastCompletionBefore';
import { LeadTimeQuery } from './metrics/LeadTimeQuery';
import { MetricsSql } from './metrics/MetricsSql';
import { MttrQuery } from './metrics/MttrQuery';
import { productionDeployment } from './metrics/productionDeployment';
import { VerificationWriter } from './metrics/VerificationWriter';
import type { SupportedGoldenVersions } from './metrics/supportedGoldenCounts';
import type {
  AttributedRecord,
  Breakdown,
  DataQuality,
  DeploymentRow,
  DurationMetric,
  IncidentRow,
  IngestResult,
  MetricsQuery,
  MetricsStore,
  OffPathService,
  ServiceRequestRow,
} from './MetricsStore';

/**
 * Stores ingested records idempotently and computes the platform value metrics in SQL,
 * identically on SQLite and PostgreSQL: the {@link MetricsStore} over the modules in
 * `./metrics`, one per concern.
 */
export class DatabaseMetricsStore implements MetricsStore {
  private constructor(
    private readonly writer: DeliveryWriter,
    private readonly verifications: VerificationWriter,
    private readonly leadTimes: LeadTimeQuery,
    private readonly goldenPaths: GoldenPathQuery,
    private readonly mttrs: MttrQuery,
    private readonly drillDowns: DrillDowns,
    private readonly sql: MetricsSql,
  ) {}

  /** The schema must be migrated already (`applyDatabaseMigrations`). */
  static async create({
    knex,
    supportedGoldenVersions,
  }: {
    knex: Knex;
    /** Without it, golden-path summaries leave out the supported-version share. */
    supportedGoldenVersions?: SupportedGoldenVersions;
  }): Promise<DatabaseMetricsStore> {
    const isPostgres = String(knex.client.config.client).includes('pg');
    const sql = new MetricsSql(knex);
    return new DatabaseMetricsStore(
      new DeliveryWriter(knex, isPostgres),
      new VerificationWriter(knex, isPostgres),
      new LeadTimeQuery(sql),
      new GoldenPathQuery(
        sql,
        isPostgres ? new DeploymentRollup(sql) : undefined,
        supportedGoldenVersions,
      ),
      new MttrQuery(sql, new IncidentDurationRollup(sql, isPostgres)),
      new DrillDowns(sql),
      sql,
    );
  }

  async ingest(records: AttributedRecord[]): Promise<IngestResult> {
    const [result] = await this.writer.ingestGroups([records]);
    return result;
  }

  ingestGroups(groups: AttributedRecord[][]): Promise<IngestResult[]> {
    return this.writer.ingestGroups(groups);
  }

  leadTime(query: MetricsQuery): Promise<LeadTimeSummary> {
    return this.leadTimes.summary(query);
  }

  goldenPath(query: MetricsQuery): Promise<GoldenPathSummary> {
    return this.goldenPaths.summary(query);
  }

  mttr(query: MetricsQuery): Promise<MttrSummary> {
    return this.mttrs.summary(query);
  }

  lastCompletionBefore(
    query: MetricsQuery,
    metric: DurationMetric,
  ): Promise<Date | null> {
    return lastCompletionBefore(this.sql, query, metric);
  }

  leadTimeBreakdown(
    query: MetricsQuery,
    by: 'team' | 'template',
  ): Promise<Breakdown<LeadTimeSummary>[]> {
    return this.leadTimes.breakdown(query, by);
  }

  goldenPathBreakdown(
    query: MetricsQuery,
    by: 'team' | 'template',
  ): Promise<Breakdown<GoldenPathSummary>[]> {
    return this.goldenPaths.breakdown(query, by);
  }

  mttrBreakdown(
    query: MetricsQuery,
    by: 'team' | 'service' | 'severity',
  ): Promise<Breakdown<MttrSummary>[]> {
    return this.mttrs.breakdown(query, by);
  }

  listDeployments(
    query: MetricsQuery & { goldenPath?: boolean },
    limit: number,
  ): Promise<DeploymentRow[]> {
    return this.drillDowns.deployments(query, limit);
  }

  listIncidents(
    query: MetricsQuery & { state?: 'resolved' | 'open' },
    limit: number,
  ): Promise<IncidentRow[]> {
    return this.drillDowns.incidents(query, limit);
  }

  listServiceRequests(
    query: MetricsQuery & { state?: 'ready' | 'in-flight' },
    limit: number,
  ): Promise<ServiceRequestRow[]> {
    return this.drillDowns.serviceRequests(query, limit);
  }

  listOffPathServices(query: MetricsQuery): Promise<OffPathService[]> {
    return this.drillDowns.offPathServices(query);
  }

  dataQuality(query: MetricsQuery): Promise<DataQuality> {
    return dataQuality(this.sql, query);
  }

  firstProductionDeployment(
    entityRef: string,
  ): Promise<ProductionDeploymentFacts | undefined> {
    return productionDeployment(this.sql.db, entityRef, 'first');
  }

  latestProductionDeployment(
    entityRef: string,
  ): Promise<ProductionDeploymentFacts | undefined> {
    return productionDeployment(this.sql.db, entityRef, 'latest');
  }

  recordVerification(
    entityRef: string,
    state: { coveredSince: Date; verifiedAt: Date | null },
  ): Promise<void> {
    return this.verifications.record(entityRef, state);
  }
}
