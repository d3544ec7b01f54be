import { renderInTestApp } from '@backstage/frontend-test-utils';
import type {
  MetricsSummary,
  SurveyResults,
} from '@internal/plugin-platform-metrics-common';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import { mockMetricsApi, summary, testConfig } from '../testing/fixtures';
import { PlatformValuePage } from './PlatformValuePage';

const render = (
  api: ReturnType<typeof mockMetricsApi>,
  metric: string,
  search = '',
) =>
  renderInTestApp(<PlatformValuePage />, {
    config: testConfig,
    apis: [
      [platformMetricsApiRef, api],
      [catalogApiRef, catalogApiMock()],
    ],
    mountPath: '/platform-value/*',
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    initialRouteEntries: [`/platform-value/metrics/${metric}${search}`],
  });

/** Answers getBreakdown with one group per dimension, keyed as given. */
const breakdownOf =
  (keys: Record<string, string>, s: MetricsSummary = summary({})) =>
  async (
    _query: unknown,
    metric: 'leadTime' | 'goldenPath' | 'mttr',
    by: string,
  ) => ({
    metric,
    by,
    items: keys[by] ? [{ key: keys[by], value: s[metric] }] : [],
  });

describe('metricDetails', () => {
  describe('lead time', () => {
    it('shows its percentiles, the breakdown by template in hours and how long each request took', async () => {
      const api = mockMetricsApi({
        getSummary: jest.fn(async () => summary({})),
        getBreakdown: jest.fn(breakdownOf({ template: 'node-service' })),
        listServiceRequests: jest.fn(async q => ({
          items:
            q.state === 'ready'
              ? [
                  {
                    id: 'r1',
                    source: 'scaffolder',
                    entityRef: 'component:default/new-api',
                    teamRef: 'group:default/search',
                    template: 'node-service',
                    templateVersion: '1.2.0',
                    requestedAt: '2026-11-20T09:00:00.000Z',
                    readyAt: '2026-11-20T12:00:00.000Z',
                    observabilityVerified: true,
                    ticketId: null,
                    baseline: false,
                  },
                ]
              : [],
        })),
      });
      await render(api, 'leadTime', '?template=node-service');

      expect(
        await screen.findByText(
          'median 2.0 h · p90 4.0 h · n 12 · in flight 2 · observability unverified 1',
        ),
      ).toBeInTheDocument();
      const byTemplate = await screen.findByRole('grid', {
        name: 'Lead time to production by template',
      });
      expect(within(byTemplate).getByText('node-service')).toBeInTheDocument();
      expect(within(byTemplate).getByText('2.00')).toBeInTheDocument();
      expect(within(byTemplate).getByText('4.00')).toBeInTheDocument();

      const ready = await screen.findByRole('grid', {
        name: 'Requests in production',
      });
      expect(within(ready).getByText('2026-11-20 12:00')).toBeInTheDocument();
      expect(within(ready).getByText('3.0 h')).toBeInTheDocument();
      expect(within(ready).getByText('declared')).toBeInTheDocument();
      // Service requests have a template, so the lists are narrowed by it.
      expect(api.listServiceRequests).toHaveBeenCalledWith(
        expect.objectContaining({ template: 'node-service', state: 'ready' }),
      );
      expect(screen.queryByText(/not narrowed by template/)).toBeNull();
    });

    it('says there is no data when no request reached production', async () => {
      const base = summary({});
      const api = mockMetricsApi({
        getSummary: jest.fn(async () => ({
          ...base,
          leadTime: {
            medianSeconds: null,
            p90Seconds: null,
            count: 0,
            inFlight: 3,
            observabilityUnverified: 0,
          },
        })),
      });
      await render(api, 'leadTime');

      expect(
        await screen.findByText(
          'median – · p90 – · n 0 · in flight 3 · observability unverified 0',
        ),
      ).toBeInTheDocument();
      expect(screen.getByText('No data in this period.')).toBeInTheDocument();
    });
  });

  describe('lead time, verified or declared', () => {
    const withEndings = (endings: {
      verified?: number;
      declaredOnly?: number;
    }) => {
      const base = summary({});
      return { ...base, leadTime: { ...base.leadTime, ...endings } };
    };

    it('splits verified from declared-only lead times and lists services in production without observability', async () => {
      const api = mockMetricsApi({
        getSummary: jest.fn(async () =>
          withEndings({ verified: 9, declaredOnly: 3 }),
        ),
        listUnverifiedServices: jest.fn(async () => ({
          items: [
            {
              entityRef: 'component:default/new-api',
              teamRef: 'group:default/search',
              firstProductionDeploymentAt: '2026-11-20T12:00:00.000Z',
              failing: [
                {
                  id: 'alerts' as const,
                  status: 'fail' as const,
                  since: '2026-11-22T08:30:00.000Z',
                },
                {
                  id: 'logs' as const,
                  status: 'unknown' as const,
                  since: null,
                },
              ],
              verifiedAt: null,
            },
          ],
        })),
      });
      await render(api, 'leadTime', '?team=group:default/search');

      expect(
        await screen.findByText(
          'verified 9 (75.0 %) · declared only 3 (25.0 %)',
        ),
      ).toBeInTheDocument();
      // The definitions panel says what both mean.
      expect(screen.getByText(/are counted as "verified"/)).toBeInTheDocument();
      expect(
        screen.getByText(/counted as "declared only"/),
      ).toBeInTheDocument();

      const table = await screen.findByRole('grid', {
        name: 'In production without observability',
      });
      expect(
        within(table).getByRole('link', { name: /new-api/ }),
      ).toHaveAttribute(
        'href',
        expect.stringContaining('/catalog/default/component/new-api'),
      );
      expect(
        within(table).getByText(
          'Alerts (rules loaded): Failing; Logs: Not checked yet',
        ),
      ).toBeInTheDocument();
      // Failing since the alerts' rules went missing, after the deployment.
      expect(within(table).getByText('2026-11-22 08:30')).toBeInTheDocument();
      expect(within(table).getByText('2026-11-20 12:00')).toBeInTheDocument();
      expect(api.listUnverifiedServices).toHaveBeenCalledWith({
        team: 'group:default/search',
      });
    });

    it('says live checks are not configured when the summary has no split', async () => {
      const api = mockMetricsApi({
        getSummary: jest.fn(async () => summary({})),
      });
      await render(api, 'leadTime');
      expect(
        await screen.findByText(
          /Live checks are not configured in this portal/,
        ),
      ).toBeInTheDocument();
      expect(screen.queryByText(/^verified \d/)).toBeNull();
      expect(
        await screen.findByText(
          /Every service in production passes its required checks/,
        ),
      ).toBeInTheDocument();
    });

    it('says when no lead time was ended by live checks', async () => {
      const api = mockMetricsApi({
        getSummary: jest.fn(async () =>
          withEndings({ verified: 0, declaredOnly: 12 }),
        ),
      });
      await render(api, 'leadTime');
      expect(
        await screen.findByText(
          'verified 0 (0.0 %) · declared only 12 (100.0 %)',
        ),
      ).toBeInTheDocument();
      expect(
        screen.getByText(
          /No lead time in this period was ended by live checks/,
        ),
      ).toBeInTheDocument();
    });

    it('keeps the requests when the unverified list cannot be loaded', async () => {
      const api = mockMetricsApi({
        getSummary: jest.fn(async () => summary({})),
        listUnverifiedServices: jest.fn(async () => {
          throw new Error('checks store unavailable');
        }),
      });
      await render(api, 'leadTime');
      expect(
        await screen.findByText('checks store unavailable'),
      ).toBeInTheDocument();
      expect(
        screen.getByRole('heading', { name: 'Requests in production' }),
      ).toBeInTheDocument();
    });
  });

  describe('golden-path adoption', () => {
    it('shows the share on the path and which golden path each deployment followed', async () => {
      const api = mockMetricsApi({
        getSummary: jest.fn(async () => summary({})),
        getBreakdown: jest.fn(breakdownOf({ template: 'node-service' })),
        listDeployments: jest.fn(async () => ({
          items: [
            {
              id: 'd1',
              source: 'github',
              entityRef: 'component:default/new-api',
              teamRef: 'group:default/search',
              environment: 'production',
              outcome: 'success' as const,
              deployedAt: '2026-11-21T08:15:00.000Z',
              goldenTemplate: 'node-service',
              goldenVersion: '1.2.0',
              pipelineId: null,
            },
            {
              id: 'd2',
              source: 'cdevents',
              entityRef: 'component:default/legacy-billing',
              teamRef: 'group:default/payments',
              environment: 'production',
              outcome: 'success' as const,
              deployedAt: '2026-11-22T08:15:00.000Z',
              goldenTemplate: null,
              goldenVersion: null,
              pipelineId: null,
            },
          ],
        })),
      });
      await render(api, 'goldenPath');

      expect(
        await screen.findByText('80.0 % on the path · 40 of 50 deployments'),
      ).toBeInTheDocument();
      const byTemplate = await screen.findByRole('grid', {
        name: 'Golden-path adoption by template',
      });
      expect(within(byTemplate).getByText('80.0')).toBeInTheDocument();
      const deployments = await screen.findByRole('grid', {
        name: 'Production deployments',
      });
      expect(
        within(deployments).getByText('node-service@1.2.0'),
      ).toBeInTheDocument();
      expect(within(deployments).getByText('off path')).toBeInTheDocument();
    });

    it('says how many golden deployments came from a supported version', async () => {
      const base = summary({});
      const api = mockMetricsApi({
        getSummary: jest.fn(async () => ({
          ...base,
          goldenPath: {
            ...base.goldenPath,
            supportedPercent: 75,
            supportedDeployments: 30,
          },
        })),
        getBreakdown: jest.fn(breakdownOf({})),
      });
      await render(api, 'goldenPath');
      expect(
        await screen.findByText(
          '80.0 % on the path · 40 of 50 deployments · 75.0 % of them (30) from a supported version',
        ),
      ).toBeInTheDocument();
    });

    it('says the off-path list is not narrowed by the template filter', async () => {
      const api = mockMetricsApi({
        getSummary: jest.fn(async () => summary({})),
      });
      await render(api, 'goldenPath', '?template=node-service');

      expect(
        await screen.findByText(
          'The off-path list is not narrowed by template.',
        ),
      ).toBeInTheDocument();
    });
  });

  describe('time to restore', () => {
    it('breaks MTTR down by team, severity and service, in hours', async () => {
      const api = mockMetricsApi({
        getSummary: jest.fn(async () => summary({})),
        getBreakdown: jest.fn(
          breakdownOf({
            severity: 'SEV1',
            service: 'component:default/checkout-service',
          }),
        ),
      });
      await render(api, 'mttr');

      expect(
        await screen.findByText(
          'median 1.0 h · mean 1.5 h · p90 2.5 h · n 9 · open 1',
        ),
      ).toBeInTheDocument();
      expect(
        await screen.findByRole('grid', {
          name: 'Time to restore (MTTR) by severity',
        }),
      ).toHaveTextContent('SEV1');
      const byService = await screen.findByRole('grid', {
        name: 'Time to restore (MTTR) by service',
      });
      expect(
        within(byService).getByRole('link', { name: /checkout-service/ }),
      ).toHaveAttribute(
        'href',
        expect.stringContaining('/catalog/default/component/checkout-service'),
      );
      for (const hours of ['1.00', '1.50', '2.50']) {
        expect(within(byService).getByText(hours)).toBeInTheDocument();
      }
      expect(
        await screen.findByRole('heading', {
          name: 'Time to restore (MTTR) by team',
        }),
      ).toBeInTheDocument();
    });

    it('says incident lists are not narrowed by the template filter', async () => {
      const api = mockMetricsApi({
        getSummary: jest.fn(async () => summary({})),
      });
      await render(api, 'mttr', '?template=node-service');

      expect(
        await screen.findByText('Incident lists are not narrowed by template.'),
      ).toBeInTheDocument();
    });
  });

  describe('developer satisfaction', () => {
    it('shows the survey results of the selected team instead of event breakdowns', async () => {
      const results: SurveyResults = {
        campaigns: [
          {
            id: 'c0',
            title: '2026-Q3 platform survey',
            quarter: '2026-Q3',
            opensAt: '2026-07-01T00:00:00.000Z',
            closesAt: '2026-10-01T00:00:00.000Z',
          },
        ],
        minimumGroupSize: 5,
        overall: {
          responses: 12,
          reportedResponses: 12,
          suppressed: false,
          percentFavourable: 75,
          mean: 4,
          participationPercent: 60,
          questions: [],
        },
        teams: [],
      };
      const api = mockMetricsApi({
        getSummary: jest.fn(async () => summary({})),
        getSurveyResults: jest.fn(async () => results),
      });
      await render(api, 'satisfaction', '?team=group:default/payments');

      expect(
        await screen.findByText('Survey results: 2026-Q3 platform survey'),
      ).toBeInTheDocument();
      expect(api.getSurveyResults).toHaveBeenCalledWith({
        team: 'group:default/payments',
      });
      expect(screen.queryByText('Breakdown')).toBeNull();
      expect(screen.queryByText('Behind the number')).toBeNull();
      expect(api.getBreakdown).not.toHaveBeenCalled();
    });
  });
});
