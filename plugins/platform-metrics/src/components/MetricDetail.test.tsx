import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import { mockMetricsApi, summary, testConfig } from '../testing/fixtures';
import { PlatformValuePage } from './PlatformValuePage';
import { toCsv } from './DataTable';

const incident = {
  id: 'i1',
  source: 'pagerduty',
  incidentKey: 'PD-1',
  entityRef: 'component:default/checkout-service',
  teamRef: 'group:default/payments',
  severity: 'SEV2',
  title: 'Checkout errors',
  url: null,
  startedAt: '2026-11-01T10:00:00.000Z',
  resolvedAt: '2026-11-01T11:30:00.000Z',
  baseline: false,
};

const render = (api: ReturnType<typeof mockMetricsApi>, metric: string) =>
  renderInTestApp(<PlatformValuePage />, {
    config: testConfig,
    apis: [
      [platformMetricsApiRef, api],
      [catalogApiRef, catalogApiMock()],
    ],
    mountPath: '/platform-value/*',
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    initialRouteEntries: [`/platform-value/metrics/${metric}`],
  });

describe('MetricDetail', () => {
  it('lists the incidents behind MTTR, linked to their services', async () => {
    const api = mockMetricsApi({
      getSummary: jest.fn(async () => summary({})),
      listIncidents: jest.fn(async q =>
        q.state === 'resolved' ? { items: [incident] } : { items: [] },
      ),
      getBreakdown: jest.fn(async (_q, metric, by) => ({
        metric,
        by,
        items:
          by === 'team'
            ? [{ key: 'group:default/payments', value: summary({}).mttr }]
            : [],
      })),
    });
    await render(api, 'mttr');

    expect(await screen.findByText('How this is computed')).toBeInTheDocument();
    expect(
      screen.getByText(/earliest trigger or detection/),
    ).toBeInTheDocument();
    const resolved = await screen.findByRole('grid', {
      name: 'Resolved incidents',
    });
    const link = within(resolved).getByRole('link', {
      name: /checkout-service/,
    });
    expect(link).toHaveAttribute(
      'href',
      expect.stringContaining('/catalog/default/component/checkout-service'),
    );
    expect(within(resolved).getByText('1.5 h')).toBeInTheDocument();
    expect(
      screen.getByText('No incident was open at the end of the period.'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('grid', {
        name: 'Time to restore (MTTR) by team',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText(/Unattributed deployments: 0/)).toBeInTheDocument();
  });

  it('lists off-path services with their reason on the golden-path detail', async () => {
    const api = mockMetricsApi({
      getSummary: jest.fn(async () => summary({})),
      listOffPathServices: jest.fn(async () => ({
        items: [
          {
            entityRef: 'component:default/legacy-billing',
            teamRef: 'group:default/payments',
            deployments: 4,
            reason: 'no-golden-path-metadata',
          },
        ],
      })),
    });
    await render(api, 'goldenPath');
    const table = await screen.findByRole('grid', {
      name: 'Services deploying off the golden path',
    });
    expect(
      within(table).getByText('no-golden-path-metadata'),
    ).toBeInTheDocument();
  });

  it('shows in-flight requests on the lead-time detail, and errors per panel', async () => {
    const api = mockMetricsApi({
      getSummary: jest.fn(async () => summary({})),
      listServiceRequests: jest.fn(async q =>
        q.state === 'in-flight'
          ? {
              items: [
                {
                  id: 'r1',
                  source: 'scaffolder',
                  entityRef: 'component:default/new-api',
                  teamRef: 'group:default/search',
                  template: 'node-service',
                  templateVersion: '1.2.0',
                  requestedAt: '2026-11-20T09:00:00.000Z',
                  readyAt: null,
                  observabilityVerified: false,
                  ticketId: null,
                  baseline: false,
                },
              ],
            }
          : { items: [] },
      ),
      getTrend: jest.fn(async () => {
        throw new Error('trend query timed out');
      }),
    });
    await render(api, 'leadTime');
    const inFlight = await screen.findByRole('grid', {
      name: 'Requests still in flight',
    });
    expect(within(inFlight).getByText('node-service')).toBeInTheDocument();
    expect(
      await screen.findByText('trend query timed out'),
    ).toBeInTheDocument();
  });

  it('exports what the table shows as CSV', () => {
    const csv = toCsv(
      [
        { title: 'service', value: (r: typeof incident) => r.entityRef },
        { title: 'title', value: (r: typeof incident) => r.title },
      ],
      [incident, { ...incident, title: 'a, "quoted" title' }],
    );
    expect(csv.split('\r\n')).toEqual([
      'service,title',
      'component:default/checkout-service,Checkout errors',
      'component:default/checkout-service,"a, ""quoted"" title"',
    ]);
  });
});
