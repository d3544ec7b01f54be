import type {
  GoldenPathRelease,
  IngestionSourceInfo,
  LastKnownValue,
  MetricsSummary,
  PlatformMetricsApi,
  ServiceCheckId,
  ServiceCheckResult,
  ServiceChecksResponse,
} from '@internal/plugin-platform-metrics-common';
import { SERVICE_CHECK_IDS } from '@internal/plugin-platform-metrics-common';

export const testConfig = {
  app: { title: 'Test', baseUrl: 'http://localhost:3000' },
  backend: { baseUrl: 'http://localhost:7007' },
};

export function summary(overrides: {
  leadTimeMedian?: number | null;
  leadTimeCount?: number;
  inFlight?: number;
  leadTimeLastKnown?: LastKnownValue | null;
  goldenPercent?: number | null;
  deployments?: number;
  mttrMedian?: number | null;
  incidents?: number;
  open?: number;
  mttrLastKnown?: LastKnownValue | null;
  favourable?: number | null;
  responses?: number;
  suppressed?: boolean;
  from?: string;
  to?: string;
}): MetricsSummary {
  return {
    period: {
      from: overrides.from ?? '2026-10-01T00:00:00.000Z',
      to: overrides.to ?? '2027-01-01T00:00:00.000Z',
    },
    leadTime: {
      medianSeconds:
        overrides.leadTimeMedian === undefined
          ? 7200
          : overrides.leadTimeMedian,
      p90Seconds: 14400,
      count: overrides.leadTimeCount ?? 12,
      inFlight: overrides.inFlight ?? 2,
      observabilityUnverified: 1,
      ...(overrides.leadTimeLastKnown !== undefined && {
        lastKnown: overrides.leadTimeLastKnown,
      }),
    },
    goldenPath: {
      percent:
        overrides.goldenPercent === undefined ? 80 : overrides.goldenPercent,
      goldenDeployments: 40,
      totalDeployments: overrides.deployments ?? 50,
    },
    mttr: {
      medianSeconds:
        overrides.mttrMedian === undefined ? 3600 : overrides.mttrMedian,
      meanSeconds: 5400,
      p90Seconds: 9000,
      count: overrides.incidents ?? 9,
      open: overrides.open ?? 1,
      ...(overrides.mttrLastKnown !== undefined && {
        lastKnown: overrides.mttrLastKnown,
      }),
    },
    satisfaction: {
      percentFavourable:
        overrides.favourable === undefined ? 72.5 : overrides.favourable,
      mean: 3.9,
      responses: overrides.responses ?? 40,
      suppressed: overrides.suppressed ?? false,
    },
  };
}

export const emptySummary = summary({
  leadTimeMedian: null,
  leadTimeCount: 0,
  goldenPercent: null,
  deployments: 0,
  mttrMedian: null,
  incidents: 0,
  favourable: null,
  responses: 0,
});

/** What a backend with the built-in sources and the Opsgenie module lists. */
export const ingestionSources: IngestionSourceInfo[] = [
  {
    id: 'cdevents',
    displayName: 'CDEvents (pipelines, scaffolder)',
    path: '/v1/events',
    authentication: 'backstage',
    setup: 'POST JSON with Authorization: Bearer <static token>.',
    attributionAnnotations: [],
  },
  {
    id: 'github',
    displayName: 'GitHub',
    path: '/v1/webhooks/github',
    authentication: 'signature',
    setup: 'GitHub signs with X-Hub-Signature-256.',
    attributionAnnotations: ['github.com/project-slug'],
  },
  {
    id: 'pagerduty',
    displayName: 'PagerDuty',
    path: '/v1/webhooks/pagerduty',
    authentication: 'signature',
    setup: 'Checked against X-PagerDuty-Signature.',
    attributionAnnotations: ['pagerduty.com/service-id'],
  },
  {
    id: 'opsgenie',
    displayName: 'Opsgenie',
    path: '/v1/webhooks/opsgenie',
    authentication: 'token',
    setup:
      'Custom header Authorization: Bearer <platformMetrics.webhooks.opsgenie.token>.',
    attributionAnnotations: [
      'opsgenie.com/component-selector',
      'opsgenie.com/team',
    ],
  },
];

/** Every method rejects unless a test gives it behaviour. */
export function mockMetricsApi(
  overrides: { [K in keyof PlatformMetricsApi]?: jest.Mock } = {},
): jest.Mocked<PlatformMetricsApi> {
  const unexpected = (name: string) =>
    jest.fn(() => Promise.reject(new Error(`unexpected call: ${name}`)));
  return {
    getSummary: unexpected('getSummary'),
    getTrend: jest.fn(async () => ({ bucket: 'quarter' as const, points: [] })),
    getBreakdown: jest.fn(async (_q: unknown, metric: string, by: string) => ({
      metric,
      by,
      items: [],
    })),
    listDeployments: jest.fn(async () => ({ items: [] })),
    listIncidents: jest.fn(async () => ({ items: [] })),
    listServiceRequests: jest.fn(async () => ({ items: [] })),
    listOffPathServices: jest.fn(async () => ({ items: [] })),
    getDataQuality: jest.fn(async () => ({
      unattributedDeployments: 0,
      unattributedIncidents: 0,
      servicesWithoutRequest: 0,
    })),
    getCurrentSurvey: jest.fn(async () => ({
      campaign: null,
      answered: false,
      minimumGroupSize: 5,
    })),
    submitSurveyResponse: unexpected('submitSurveyResponse'),
    getSurveyResults: unexpected('getSurveyResults'),
    listCampaigns: unexpected('listCampaigns'),
    createCampaign: unexpected('createCampaign'),
    updateCampaign: unexpected('updateCampaign'),
    openCampaign: unexpected('openCampaign'),
    closeCampaign: unexpected('closeCampaign'),
    importBaseline: unexpected('importBaseline'),
    listIngestionSources: jest.fn(async () => ({ items: ingestionSources })),
    getServiceChecks: unexpected('getServiceChecks'),
    runServiceChecks: unexpected('runServiceChecks'),
    listUnverifiedServices: jest.fn(async () => ({ items: [] })),
    getGoldenPathVersions: unexpected('getGoldenPathVersions'),
    getGoldenPathDrift: unexpected('getGoldenPathDrift'),
    ...overrides,
  } as jest.Mocked<PlatformMetricsApi>;
}

/** An ISO time `days` before now, for results shown relative to the present. */
export const daysAgo = (days: number) =>
  new Date(Date.now() - days * 86_400_000).toISOString();

/**
 * Every check with one status, then the given checks as stated: what the checks
 * endpoint answers.
 */
export function serviceChecks(
  every: Omit<ServiceCheckResult, 'id'>,
  overrides: Partial<Record<ServiceCheckId, Partial<ServiceCheckResult>>> = {},
  verifiedAt: string | null = null,
): ServiceChecksResponse {
  return {
    checks: SERVICE_CHECK_IDS.map(id => ({
      id,
      ...every,
      ...overrides[id],
    })),
    verifiedAt,
  };
}

/** Two releases, as templates/golden-paths/versions.yaml has them. */
export const goldenPathReleases: GoldenPathRelease[] = [
  {
    version: '1.1.0',
    released: '2026-12-03',
    changelog: [
      {
        title: 'Production runs the image the pipeline built, by digest',
        description: 'The GitOps deploy pins the image by digest.',
      },
    ],
  },
  {
    version: '1.0.0',
    released: '2026-11-26',
    changelog: [{ title: 'First release', description: 'The skeleton.' }],
  },
];
