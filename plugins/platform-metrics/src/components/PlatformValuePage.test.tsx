import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, waitFor, within } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import {
  emptySummary,
  mockMetricsApi,
  summary,
  testConfig,
} from '../testing/fixtures';
import { PlatformValuePage } from './PlatformValuePage';

const catalog = catalogApiMock({
  entities: [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'payments', namespace: 'default' },
      spec: { type: 'team', children: [] },
    },
  ],
});

function render(api: ReturnType<typeof mockMetricsApi>, path = '/') {
  return renderInTestApp(<PlatformValuePage />, {
    config: testConfig,
    apis: [
      [platformMetricsApiRef, api],
      [catalogApiRef, catalog],
    ],
    mountPath: '/platform-value/*',
    initialRouteEntries: [`/platform-value${path}`],
  });
}

describe('PlatformValuePage', () => {
  it('shows the four headline numbers with n and the changes', async () => {
    const api = mockMetricsApi({
      getSummary: jest.fn(async query => {
        if (query.baseline) return summary({ leadTimeMedian: 14 * 86400 });
        if (query.from.startsWith('2026-10') || query.from > '2026-09')
          return summary({});
        return summary({ goldenPercent: 60 });
      }),
    });
    await render(api);

    expect(await screen.findByText('2.0 h')).toBeInTheDocument();
    expect(screen.getByText('n = 12 requests')).toBeInTheDocument();
    expect(screen.getByText('80.0 %')).toBeInTheDocument();
    expect(screen.getByText('n = 50 deployments')).toBeInTheDocument();
    expect(screen.getByText('1.0 h')).toBeInTheDocument();
    expect(screen.getByText('72.5 %')).toBeInTheDocument();
    // Lead time fell from 14 days in the ticket era to 2 hours.
    expect(
      await screen.findByText('ticket era 14.0 d → 2.0 h (×170)'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('+20.0 pp vs previous period'),
    ).toBeInTheDocument();

    // The default period is the current quarter, in UTC, half-open.
    const first = api.getSummary.mock.calls[0][0];
    const from = new Date(first.from);
    expect(from.getUTCDate()).toBe(1);
    expect(from.getUTCMonth() % 3).toBe(0);
    expect(
      new Date(first.to).getUTCMonth() - from.getUTCMonth(),
    ).toBeLessThanOrEqual(3);
    await waitFor(() =>
      expect(api.getSummary).toHaveBeenCalledWith(
        expect.objectContaining({ baseline: true }),
      ),
    );
  });

  it('sets lead time and MTTR beside their ticket-era values, with the factor', async () => {
    const api = mockMetricsApi({
      getSummary: jest.fn(async query =>
        query.baseline
          ? summary({ leadTimeMedian: 21 * 86400, mttrMedian: 5 * 3600 })
          : summary({ leadTimeMedian: 38 * 60, mttrMedian: 50 * 60 }),
      ),
    });
    await render(api);
    const leadTime = await screen.findByRole('article', {
      name: 'Lead time to production',
    });
    expect(
      await within(leadTime).findByText('ticket era 21.0 d → 38 min (×800)'),
    ).toBeInTheDocument();
    const mttr = screen.getByRole('article', {
      name: 'Time to restore (MTTR)',
    });
    expect(
      within(mttr).getByText('ticket era 5.0 h → 50 min (×6.0)'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/% vs baseline/)).not.toBeInTheDocument();
  });

  it('shows the requests in flight and the last known value on a tile without completed requests', async () => {
    const quarter = {
      from: '2026-07-01T00:00:00.000Z',
      to: '2026-10-01T00:00:00.000Z',
    };
    const api = mockMetricsApi({
      getSummary: jest.fn(async query =>
        query.baseline
          ? summary({})
          : summary({
              leadTimeMedian: null,
              leadTimeCount: 0,
              inFlight: 3,
              leadTimeLastKnown: {
                period: quarter,
                medianSeconds: 2.1 * 3600,
                count: 14,
              },
              mttrMedian: null,
              incidents: 0,
              open: 0,
              mttrLastKnown: null,
            }),
      ),
    });
    await render(api);
    const leadTime = await screen.findByRole('article', {
      name: 'Lead time to production',
    });
    expect(within(leadTime).getByText('–')).toBeInTheDocument();
    expect(within(leadTime).getByText('n = 0 requests')).toBeInTheDocument();
    expect(
      within(leadTime).getByText('3 requests in flight'),
    ).toBeInTheDocument();
    expect(
      within(leadTime).getByText('last known 2.1 h in 2026-Q3 (n = 14)'),
    ).toBeInTheDocument();
    expect(
      await within(leadTime).findByText(
        'ticket era 2.0 h → none in this period',
      ),
    ).toBeInTheDocument();

    const mttr = screen.getByRole('article', {
      name: 'Time to restore (MTTR)',
    });
    expect(within(mttr).getByText('no incidents open')).toBeInTheDocument();
    expect(
      within(mttr).getByText('nothing completed before this period'),
    ).toBeInTheDocument();
  });

  it('shows a loading state while the summary loads', async () => {
    const api = mockMetricsApi({
      getSummary: jest.fn(() => new Promise(() => {})),
    });
    await render(api);
    expect(
      await screen.findByRole('status', { name: 'Loading platform metrics' }),
    ).toBeInTheDocument();
  });

  it('tells the user how to get data flowing when there is none', async () => {
    const api = mockMetricsApi({
      getSummary: jest.fn(async () => emptySummary),
    });
    await render(api);
    expect(
      await screen.findByText('No metrics for this selection yet'),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/Ingestion setup/).length).toBeGreaterThan(0);
    expect(screen.getByText('n = 0 requests')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = mockMetricsApi({
      getSummary: jest.fn(async () => {
        throw new Error('database is down');
      }),
    });
    await render(api);
    expect(
      await screen.findByText('The platform metrics could not be loaded'),
    ).toBeInTheDocument();
    expect(screen.getByText('database is down')).toBeInTheDocument();
  });

  it('says why satisfaction is hidden when the group is too small', async () => {
    const api = mockMetricsApi({
      getSummary: jest.fn(async () =>
        summary({ favourable: null, responses: 3, suppressed: true }),
      ),
      getCurrentSurvey: jest.fn(async () => ({
        campaign: null,
        answered: false,
        minimumGroupSize: 5,
      })),
    });
    await render(api);
    expect(
      await screen.findByText(
        /Hidden: fewer responses than the minimum group size/,
      ),
    ).toBeInTheDocument();
  });

  it('passes the team filter from the URL to the backend', async () => {
    const api = mockMetricsApi({
      getSummary: jest.fn(async () => summary({})),
    });
    await render(api, '/?team=group:default/payments');
    await screen.findByText('2.0 h');
    expect(api.getSummary).toHaveBeenCalledWith(
      expect.objectContaining({ team: 'group:default/payments' }),
    );
  });
});
