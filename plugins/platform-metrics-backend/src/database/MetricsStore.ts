import type {
  GoldenPathSummary,
  LeadTimeSummary,
  MttrSummary,
} from '@internal/plugin-platform-metrics-common';
import type {
  Attribution,
  AttributedRecord,
} from '@internal/plugin-platform-metrics-node';
import type { ServiceVerifications } from '../checks/ServiceVerifications';

// Defined in -node, where the plugin's modules read them too.
export type { Attribution, AttributedRecord };

export interface IngestResult {
  /** Records stored by this call. */
  stored: number;
  /** Records skipped because their (source, deliveryKey) was stored before. */
  duplicates: number;
}

/** `from` inclusive, `to` exclusive. */
export interface MetricsQuery {
  from: Date;
  to: Date;
  /** Owning Group ref. */
  team?: string;
  /** Golden-path template name (`node-service`) or ref (`template:default/node-service`). */
  template?: string;
  /** Ticket-era rows only (true), live rows only (false, the default). */
  baseline?: boolean;
}

export type BreakdownDimension = 'team' | 'template' | 'service' | 'severity';

/** The metrics measured as durations from a start to a completion. */
export type DurationMetric = 'leadTime' | 'mttr';

export interface Breakdown<T> {
  /** The team ref, template name, entity ref or severity; null for "unknown". */
  key: string | null;
  value: T;
}

export interface DeploymentRow {
  id: string;
  source: string;
  entityRef: string | null;
  teamRef: string | null;
  environment: string;
  outcome: 'success' | 'failure' | 'rollback';
  deployedAt: Date;
  goldenTemplate: string | null;
  goldenVersion: string | null;
  pipelineId: string | null;
}

export interface IncidentRow {
  id: string;
  source: string;
  incidentKey: string;
  entityRef: string | null;
  teamRef: string | null;
  severity: string | null;
  title: string | null;
  url: string | null;
  startedAt: Date;
  resolvedAt: Date | null;
  baseline: boolean;
}

export interface ServiceRequestRow {
  id: string;
  source: string;
  entityRef: string;
  teamRef: string | null;
  template: string | null;
  templateVersion: string | null;
  requestedAt: Date;
  readyAt: Date | null;
  observabilityVerified: boolean;
  ticketId: string | null;
  baseline: boolean;
}

/** A service deploying to production off the golden path in the period. */
export interface OffPathService {
  entityRef: string | null;
  teamRef: string | null;
  deployments: number;
  /** `no-golden-path-metadata`, or `unsupported-template:<name>` etc. */
  reason: string;
}

export interface DataQuality {
  unattributedDeployments: number;
  unattributedIncidents: number;
  /** Services deploying to production that have no service-request record. */
  servicesWithoutRequest: number;
}

/**
 * The only code that reads or writes the metrics tables. Every aggregate is computed
 * in SQL: nothing loads all rows into Node. As {@link ServiceVerifications}, it
 * gives the live checks the facts of a service's production deployments and ends
 * lead time when they verify it.
 */
export interface MetricsStore extends ServiceVerifications {
  /**
   * Stores records in one transaction, skipping any whose (source, deliveryKey) was
   * stored before. Resolves only once everything is committed; rejects (storing
   * nothing) when the database fails.
   */
  ingest(records: AttributedRecord[]): Promise<IngestResult>;
  /**
   * Stores several deliveries in one transaction (group commit), with one result
   * per delivery. Rejects, storing none of them, when any of them fails.
   */
  ingestGroups(groups: AttributedRecord[][]): Promise<IngestResult[]>;

  /**
   * Once the live checks cover any service (`recordVerification`), the summary
   * also splits `count` into `verified` and `declaredOnly`; before that it is
   * exactly what it was without checks.
   */
  leadTime(query: MetricsQuery): Promise<LeadTimeSummary>;
  goldenPath(query: MetricsQuery): Promise<GoldenPathSummary>;
  mttr(query: MetricsQuery): Promise<MttrSummary>;
  /**
   * When the latest request became ready (`leadTime`) or incident was resolved
   * (`mttr`) before `query.from`, in the query's era, team and template; null
   * when none did.
   */
  lastCompletionBefore(
    query: MetricsQuery,
    metric: DurationMetric,
  ): Promise<Date | null>;

  leadTimeBreakdown(
    query: MetricsQuery,
    by: 'team' | 'template',
  ): Promise<Breakdown<LeadTimeSummary>[]>;
  goldenPathBreakdown(
    query: MetricsQuery,
    by: 'team' | 'template',
  ): Promise<Breakdown<GoldenPathSummary>[]>;
  mttrBreakdown(
    query: MetricsQuery,
    by: 'team' | 'service' | 'severity',
  ): Promise<Breakdown<MttrSummary>[]>;

  /** Drill-down lists, newest first, at most `limit` rows. */
  listDeployments(
    query: MetricsQuery & { goldenPath?: boolean },
    limit: number,
  ): Promise<DeploymentRow[]>;
  listIncidents(
    query: MetricsQuery & { state?: 'resolved' | 'open' },
    limit: number,
  ): Promise<IncidentRow[]>;
  listServiceRequests(
    query: MetricsQuery & { state?: 'ready' | 'in-flight' },
    limit: number,
  ): Promise<ServiceRequestRow[]>;
  listOffPathServices(query: MetricsQuery): Promise<OffPathService[]>;

  dataQuality(query: MetricsQuery): Promise<DataQuality>;
}
