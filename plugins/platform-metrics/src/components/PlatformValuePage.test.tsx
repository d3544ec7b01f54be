import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { MetricsSummary } from '@internal/plugin-platform-metrics-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import {
  emptySummary,
  mockMetricsApi,
  summary,
  testConfig,
} from '../testing/fixtures';
import { formatDuration } from './format';
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

  describe('before and after', () => {
    // jsdom lays nothing out: give the charts' containers the size a browser would.
    let layout: jest.SpyInstance;
    beforeEach(() => {
      layout = jest
        .spyOn(HTMLElement.prototype, 'getBoundingClientRect')
        .mockImplementation(function size(this: HTMLElement) {
          const chart = this.classList.contains(
            'recharts-responsive-container',
          );
          return { width: chart ? 480 : 0, height: chart ? 220 : 0 } as DOMRect;
        });
    });
    afterEach(() => layout.mockRestore());

    it('charts every metric by quarter from the first ticket-era quarter to the period end', async () => {
      const quarterOf = (
        from: string,
        to: string,
        s: Parameters<typeof summary>[0],
      ) => summary({ ...s, from, to });
      const empty = {
        leadTimeMedian: null,
        leadTimeCount: 0,
        mttrMedian: null,
        incidents: 0,
        goldenPercent: null,
        deployments: 0,
      };
      const api = mockMetricsApi({
        getSummary: jest.fn(async () => summary({})),
        getTrend: jest.fn(async query => ({
          bucket: 'quarter' as const,
          points: query.baseline
            ? [
                quarterOf(
                  '2024-07-01T00:00:00.000Z',
                  '2024-10-01T00:00:00.000Z',
                  empty,
                ),
                quarterOf(
                  '2024-10-01T00:00:00.000Z',
                  '2025-01-01T00:00:00.000Z',
                  {
                    ...empty,
                    leadTimeMedian: 21 * 86400,
                    leadTimeCount: 9,
                  },
                ),
                quarterOf(
                  '2025-01-01T00:00:00.000Z',
                  '2025-04-01T00:00:00.000Z',
                  empty,
                ),
              ]
            : [
                quarterOf(
                  '2024-10-01T00:00:00.000Z',
                  '2025-01-01T00:00:00.000Z',
                  empty,
                ),
                quarterOf(
                  '2025-01-01T00:00:00.000Z',
                  '2025-04-01T00:00:00.000Z',
                  {
                    leadTimeMedian: 38 * 60,
                  },
                ),
              ],
        })),
      });
      await render(api);

      const card = await screen.findByRole('article', {
        name: 'Before and after',
      });
      expect(
        await within(card).findByText(/^2024-Q4 to 2025-Q1, by quarter/),
      ).toBeInTheDocument();
      for (const [name, series] of [
        [
          'Lead time to production by quarter, ticket era and with the portal',
          ['Ticket era', 'With the portal'],
        ],
        ['Golden-path adoption by quarter', ['With the portal']],
        [
          'Time to restore (MTTR) by quarter, ticket era and with the portal',
          ['Ticket era', 'With the portal'],
        ],
        ['Developer satisfaction by quarter', ['With the portal']],
      ] as const) {
        const chart = within(card).getByRole('img', { name });
        for (const line of series) {
          expect(within(chart).getByText(line)).toBeInTheDocument();
        }
        expect(chart.querySelectorAll('.recharts-line')).toHaveLength(
          series.length,
        );
        // With the live series alone, the chart says why.
        expect(
          within(chart.parentElement!).queryByText(
            /^The ticket era recorded no/,
          ) !== null,
        ).toBe(series.length === 1);
        expect(within(chart).getByText('2024-Q4')).toBeInTheDocument();
        expect(within(chart).getByText('2025-Q1')).toBeInTheDocument();
      }
      // The ticket era over the window the tiles compare with, then the live
      // quarters from its first quarter with data to the end of the period.
      const eraQuery = api.getTrend.mock.calls.find(([q]) => q.baseline)![0];
      expect(eraQuery.to).toBe(api.getSummary.mock.calls[0][0].to);
      expect(api.getTrend).toHaveBeenCalledWith(
        expect.objectContaining({
          from: '2024-10-01T00:00:00.000Z',
          to: eraQuery.to,
        }),
        'quarter',
      );
    });

    it('says how to get a ticket era onto the chart when none was imported', async () => {
      const api = mockMetricsApi({
        getSummary: jest.fn(async () => summary({})),
        getTrend: jest.fn(async query => ({
          bucket: 'quarter' as const,
          points: query.baseline ? [] : [summary({})],
        })),
      });
      await render(api);
      expect(
        await screen.findByText('No ticket-era baseline yet'),
      ).toBeInTheDocument();
      expect(
        screen.getByRole('img', {
          name: /^Lead time to production by quarter/,
        }),
      ).toBeInTheDocument();
    });
  });

  it('shows the lead time of one query on the tile and in its detail, as the API answered it', async () => {
    // Every query gets its own median, so that the same number on the tile and
    // in the detail means the same query.
    const medianFor = (query: object) =>
      60 *
      [...JSON.stringify(query)].reduce(
        (h, c) => (h * 31 + c.charCodeAt(0)) % 997,
        7,
      );
    const api = mockMetricsApi({
      getSummary: jest.fn(async query =>
        summary({ leadTimeMedian: medianFor(query) }),
      ),
    });
    await render(api, '/?period=year&team=group:default/payments');
    const tile = await screen.findByTestId('leadTime-value');
    const tileQuery = api.getSummary.mock.calls[0][0];
    expect(tile).toHaveTextContent(formatDuration(medianFor(tileQuery)));
    const onTile = tile.textContent;

    fireEvent.click(
      screen.getByRole('link', { name: 'Lead time to production' }),
    );
    expect(
      await screen.findByText(text => text.startsWith(`median ${onTile} · `)),
    ).toBeInTheDocument();
    expect(api.getSummary).toHaveBeenLastCalledWith(tileQuery);
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
    // The before-and-after charts load their own trend meanwhile; the tiles'
    // comparisons (previous period, ticket era) wait for the headline.
    expect(api.getSummary).toHaveBeenCalledTimes(1);

    answerHeadline(summary({}));
    expect(await screen.findByText('80.0 %')).toBeInTheDocument();
    expect(
      await screen.findByText('+20.0 pp vs previous period'),
    ).toBeInTheDocument();
    expect(api.getSummary).toHaveBeenCalledTimes(3);
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
