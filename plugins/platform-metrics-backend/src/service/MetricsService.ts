import type {
  BreakdownMetric,
  MetricsBreakdownValueMap,
  MetricsSummary,
  MetricsTrendBucket,
} from '@internal/plugin-platform-metrics-common';
import type {
  Breakdown,
  BreakdownDimension,
  DataQuality,
  DeploymentRow,
  IncidentRow,
  MetricsQuery,
  OffPathService,
  ServiceRequestRow,
} from '../database/MetricsStore';

/** The metrics read API: the four metrics and the drill-down lists behind them. */
export interface MetricsService {
  summary(query: MetricsQuery): Promise<MetricsSummary>;
  trend(
    query: MetricsQuery,
    bucket: MetricsTrendBucket,
  ): Promise<{ bucket: MetricsTrendBucket; points: MetricsSummary[] }>;
  /** Rejects with an InputError for a dimension the metric has no breakdown by. */
  breakdown(
    query: MetricsQuery,
    metric: BreakdownMetric,
    by: BreakdownDimension,
  ): Promise<Breakdown<MetricsBreakdownValueMap[BreakdownMetric]>[]>;

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
