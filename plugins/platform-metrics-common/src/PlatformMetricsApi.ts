import type { ServiceChecksResponse, UnverifiedServiceItem } from './checks';
import type {
  GoldenPathDriftResponse,
  GoldenPathVersionsResponse,
} from './goldenPathVersions';
import type { MetricsPeriod, MetricsSummary } from './types';
import type {
  FeatureUsageResponse,
  TemplateFunnelResult,
  UsageEventsBatch,
} from './usage';
import type {
  BaselineImportResult,
  BaselineKind,
  BreakdownDimension,
  BreakdownMetric,
  CurrentSurvey,
  DeploymentItem,
  IncidentItem,
  IngestionSourceInfo,
  ItemList,
  MetricsBreakdown,
  MetricsDataQuality,
  MetricsQueryOptions,
  MetricsTrend,
  MetricsTrendBucket,
  OffPathServiceItem,
  ServiceRequestItem,
  SurveyCampaign,
  SurveyResults,
} from './responses';
import type {
  SurveyCampaignInput,
  SurveyCampaignUpdate,
  SurveySubmissionInput,
} from './surveySchemas';

/** Everything the platform-metrics frontend asks of its backend. */
export interface PlatformMetricsApi {
  getSummary(query: MetricsQueryOptions): Promise<MetricsSummary>;
  getTrend(
    query: MetricsQueryOptions,
    bucket: MetricsTrendBucket,
  ): Promise<MetricsTrend>;
  getBreakdown<M extends BreakdownMetric>(
    query: MetricsQueryOptions,
    metric: M,
    by: BreakdownDimension,
  ): Promise<MetricsBreakdown<M>>;
  listDeployments(
    query: MetricsQueryOptions & { goldenPath?: boolean },
  ): Promise<ItemList<DeploymentItem>>;
  listIncidents(
    query: MetricsQueryOptions & { state?: 'resolved' | 'open' },
  ): Promise<ItemList<IncidentItem>>;
  listServiceRequests(
    query: MetricsQueryOptions & { state?: 'ready' | 'in-flight' },
  ): Promise<ItemList<ServiceRequestItem>>;
  listOffPathServices(
    query: MetricsQueryOptions,
  ): Promise<ItemList<OffPathServiceItem>>;
  getDataQuality(query: MetricsQueryOptions): Promise<MetricsDataQuality>;

  getCurrentSurvey(): Promise<CurrentSurvey>;
  submitSurveyResponse(
    campaignId: string,
    submission: SurveySubmissionInput,
  ): Promise<void>;
  getSurveyResults(options?: {
    campaignId?: string;
    team?: string;
  }): Promise<SurveyResults>;

  listCampaigns(): Promise<ItemList<SurveyCampaign>>;
  createCampaign(input: SurveyCampaignInput): Promise<SurveyCampaign>;
  updateCampaign(
    id: string,
    input: SurveyCampaignUpdate,
  ): Promise<SurveyCampaign>;
  openCampaign(id: string): Promise<SurveyCampaign>;
  closeCampaign(id: string): Promise<SurveyCampaign>;

  /** Every ingestion endpoint and how to set its sender up; the platform team only. */
  listIngestionSources(): Promise<ItemList<IngestionSourceInfo>>;

  /** The live checks of one service; `entity` is `{ namespace, name }` of a Component. */
  getServiceChecks(entity: {
    namespace: string;
    name: string;
  }): Promise<ServiceChecksResponse>;
  /** Services in production whose required checks do not all pass now. */
  listUnverifiedServices(query: {
    team?: string;
  }): Promise<ItemList<UnverifiedServiceItem>>;
  /** Runs the service's checks now and answers with the new results. */
  runServiceChecks(entity: {
    namespace: string;
    name: string;
  }): Promise<ServiceChecksResponse>;

  /**
   * Records portal usage events. `keepalive` lets the request outlive the page
   * when it is sent on pagehide.
   */
  sendUsageEvents(
    batch: UsageEventsBatch,
    options?: { keepalive?: boolean },
  ): Promise<void>;
  /** Per template, the funnel from the opened form to a verified service; the platform team only. */
  getTemplateFunnel(period: MetricsPeriod): Promise<TemplateFunnelResult>;
  /** Weekly use of pages and plugins, empty searches and drop candidates; the platform team only. */
  getFeatureUsage(period: MetricsPeriod): Promise<FeatureUsageResponse>;
  /** The released versions of each golden-path template, newest first, with their changelog. */
  getGoldenPathVersions(): Promise<GoldenPathVersionsResponse>;
  /** Per golden-path template: services per version and the services behind the latest. */
  getGoldenPathDrift(): Promise<GoldenPathDriftResponse>;

  importBaseline(options: {
    kind: BaselineKind;
    dryRun: boolean;
    /** CSV text, or a JSON array of rows. */
    body: string | Record<string, unknown>[];
  }): Promise<BaselineImportResult>;
}
