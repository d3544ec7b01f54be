import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { MetricsSummary } from '@internal/plugin-platform-metrics-common';
import { screen, waitFor } from '@testing-library/react';
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
    expect(await screen.findByText('−99 % vs baseline')).toBeInTheDocument();
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

  it('asks for the comparisons once the headline has arrived', async () => {
    let answerHeadline = (_: MetricsSummary) => {};
    const api = mockMetricsApi({
      getSummary: jest.fn(async () => summary({ goldenPercent: 60 })),
    });
    api.getSummary.mockImplementationOnce(
      () => new Promise<MetricsSummary>(resolve => (answerHeadline = resolve)),
    );
    await render(api);
    await screen.findByRole('status', { name: 'Loading platform metrics' });
    expect(api.getSummary).toHaveBeenCalledTimes(1);
    expect(api.getTrend).not.toHaveBeenCalled();

    answerHeadline(summary({}));
    expect(await screen.findByText('80.0 %')).toBeInTheDocument();
    expect(
      await screen.findByText('+20.0 pp vs previous period'),
    ).toBeInTheDocument();
    expect(api.getSummary).toHaveBeenCalledTimes(3);
    expect(api.getTrend).toHaveBeenCalledTimes(1);
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
