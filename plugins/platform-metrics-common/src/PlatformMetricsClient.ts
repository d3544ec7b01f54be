import { ResponseError } from '@backstage/errors';
import type { ServiceChecksResponse, UnverifiedServiceItem } from './checks';
import type { PlatformMetricsApi } from './PlatformMetricsApi';
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

type QueryValue = string | number | boolean | undefined;

/** The HTTP client of the platform-metrics backend. */
export class PlatformMetricsClient implements PlatformMetricsApi {
  private readonly discoveryApi: {
    getBaseUrl(pluginId: string): Promise<string>;
  };
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi: { fetch: typeof fetch };
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getSummary(query: MetricsQueryOptions): Promise<MetricsSummary> {
    return this.get(
      '/v1/summary',
      periodParams(query, ['team', 'template', 'baseline']),
    );
  }

  getTrend(
    query: MetricsQueryOptions,
    bucket: MetricsTrendBucket,
  ): Promise<MetricsTrend> {
    return this.get('/v1/trend', {
      ...periodParams(query, ['team', 'template', 'baseline']),
      bucket,
    });
  }

  getBreakdown<M extends BreakdownMetric>(
    query: MetricsQueryOptions,
    metric: M,
    by: BreakdownDimension,
  ): Promise<MetricsBreakdown<M>> {
    return this.get('/v1/breakdown', {
      ...periodParams(query, ['team', 'template', 'baseline']),
      metric,
      by,
    });
  }

  listDeployments(
    query: MetricsQueryOptions & { goldenPath?: boolean },
  ): Promise<ItemList<DeploymentItem>> {
    return this.get('/v1/deployments', {
      ...periodParams(query, ['team', 'template', 'limit']),
      goldenPath: query.goldenPath,
    });
  }

  listIncidents(
    query: MetricsQueryOptions & { state?: 'resolved' | 'open' },
  ): Promise<ItemList<IncidentItem>> {
    return this.get('/v1/incidents', {
      ...periodParams(query, ['team', 'baseline', 'limit']),
      state: query.state,
    });
  }

  listServiceRequests(
    query: MetricsQueryOptions & { state?: 'ready' | 'in-flight' },
  ): Promise<ItemList<ServiceRequestItem>> {
    return this.get('/v1/service-requests', {
      ...periodParams(query, ['team', 'template', 'baseline', 'limit']),
      state: query.state,
    });
  }

  listOffPathServices(
    query: MetricsQueryOptions,
  ): Promise<ItemList<OffPathServiceItem>> {
    return this.get('/v1/off-path', periodParams(query, ['team']));
  }

  getDataQuality(query: MetricsQueryOptions): Promise<MetricsDataQuality> {
    return this.get('/v1/data-quality', periodParams(query, []));
  }

  getCurrentSurvey(): Promise<CurrentSurvey> {
    return this.get('/v1/survey/current', {});
  }

  async submitSurveyResponse(
    campaignId: string,
    submission: SurveySubmissionInput,
  ): Promise<void> {
    await this.send(
      'POST',
      `/v1/survey/campaigns/${encodeURIComponent(campaignId)}/responses`,
      submission,
    );
  }

  getSurveyResults(
    options: { campaignId?: string; team?: string } = {},
  ): Promise<SurveyResults> {
    return this.get('/v1/survey/results', options);
  }

  listCampaigns(): Promise<ItemList<SurveyCampaign>> {
    return this.get('/v1/survey/campaigns', {});
  }

  createCampaign(input: SurveyCampaignInput): Promise<SurveyCampaign> {
    return this.send('POST', '/v1/survey/campaigns', input);
  }

  updateCampaign(
    id: string,
    input: SurveyCampaignUpdate,
  ): Promise<SurveyCampaign> {
    return this.send(
      'PUT',
      `/v1/survey/campaigns/${encodeURIComponent(id)}`,
      input,
    );
  }

  openCampaign(id: string): Promise<SurveyCampaign> {
    return this.send(
      'POST',
      `/v1/survey/campaigns/${encodeURIComponent(id)}/open`,
    );
  }

  closeCampaign(id: string): Promise<SurveyCampaign> {
    return this.send(
      'POST',
      `/v1/survey/campaigns/${encodeURIComponent(id)}/close`,
    );
  }

  listIngestionSources(): Promise<ItemList<IngestionSourceInfo>> {
    return this.get('/v1/ingestion/sources', {});
  }

  getServiceChecks(entity: {
    namespace: string;
    name: string;
  }): Promise<ServiceChecksResponse> {
    return this.get(`${servicePath(entity)}/checks`, {});
  }

  listUnverifiedServices(query: {
    team?: string;
  }): Promise<ItemList<UnverifiedServiceItem>> {
    return this.get('/v1/checks/unverified', { team: query.team });
  }

  runServiceChecks(entity: {
    namespace: string;
    name: string;
  }): Promise<ServiceChecksResponse> {
    return this.send('POST', `${servicePath(entity)}/checks/run`);
  }

  async sendUsageEvents(
    batch: UsageEventsBatch,
    options: { keepalive?: boolean } = {},
  ): Promise<void> {
    await this.send('POST', '/v1/usage/events', batch, {
      keepalive: options.keepalive,
    });
  }

  getTemplateFunnel(period: MetricsPeriod): Promise<TemplateFunnelResult> {
    return this.get('/v1/usage/templates', periodParams(period, []));
  }

  getFeatureUsage(period: MetricsPeriod): Promise<FeatureUsageResponse> {
    return this.get('/v1/usage/features', periodParams(period, []));
  }

  getGoldenPathVersions(): Promise<GoldenPathVersionsResponse> {
    return this.get('/v1/golden-paths/versions', {});
  }

  getGoldenPathDrift(): Promise<GoldenPathDriftResponse> {
    return this.get('/v1/golden-paths/drift', {});
  }

  importBaseline(options: {
    kind: 'service-requests' | 'incidents';
    dryRun: boolean;
    body: string | Record<string, unknown>[];
  }): Promise<BaselineImportResult> {
    const query = toQuery({ kind: options.kind, dryRun: options.dryRun });
    return this.send<BaselineImportResult>(
      'POST',
      `/v1/baseline${query}`,
      options.body,
    );
  }

  private async get<T>(
    path: string,
    params: Record<string, QueryValue>,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('platform-metrics');
    const response = await this.fetchApi.fetch(
      `${baseUrl}${path}${toQuery(params)}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  private async send<T>(
    method: 'POST' | 'PUT',
    path: string,
    body?: unknown,
    extra: Pick<RequestInit, 'keepalive'> = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('platform-metrics');
    // CSV goes as text so the backend's per-row errors refer to the file's rows.
    const init: RequestInit = { method };
    if (extra.keepalive) init.keepalive = true;
    if (typeof body === 'string') {
      init.headers = { 'Content-Type': 'text/csv' };
      init.body = body;
    } else if (body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

type Narrowing = 'team' | 'template' | 'baseline' | 'limit';

/**
 * The period plus the narrowing parameters an endpoint accepts: the backend's
 * OpenAPI validation rejects any other query parameter with a 400.
 */
function periodParams(
  query: MetricsQueryOptions,
  accepted: Narrowing[],
): Record<string, QueryValue> {
  const all: Record<Narrowing, QueryValue> = {
    team: query.team,
    template: query.template,
    baseline: query.baseline ? true : undefined,
    limit: query.limit,
  };
  const params: Record<string, QueryValue> = { from: query.from, to: query.to };
  for (const key of accepted) params[key] = all[key];
  return params;
}

function toQuery(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function servicePath(entity: { namespace: string; name: string }): string {
  return `/v1/services/${encodeURIComponent(
    entity.namespace,
  )}/${encodeURIComponent(entity.name)}`;
}
