import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import { mockMetricsApi, testConfig } from '../testing/fixtures';
import { AdminPage } from './AdminPage';

const render = (api: ReturnType<typeof mockMetricsApi>) =>
  renderInTestApp(<AdminPage />, {
    config: testConfig,
    apis: [
      [platformMetricsApiRef, api],
      // Allows everything unless told otherwise.
      mockApis.permission(),
    ],
  });

describe('AdminPage', () => {
  it('previews a baseline import with an error for each bad row', async () => {
    const api = mockMetricsApi({
      listCampaigns: jest.fn(async () => ({ items: [] })),
      importBaseline: jest.fn(async ({ dryRun }) => ({
        dryRun,
        rows: 2,
        valid: 1,
        errors: [
          {
            row: 2,
            field: 'in_production_at',
            message: 'is before requested_at',
          },
        ],
        preview: [
          {
            requested_at: '2025-01-02T00:00:00.000Z',
            in_production_at: '2025-02-01T00:00:00.000Z',
            team: 'group:default/payments',
          },
        ],
        stored: dryRun ? 0 : 1,
        duplicates: 0,
      })),
    });
    await render(api);

    expect(await screen.findByText('No campaigns yet')).toBeInTheDocument();
    const csv =
      'requested_at,in_production_at,team\n2025-01-02,2025-02-01,payments\n2025-03-01,2025-02-01,payments';
    fireEvent.change(screen.getByRole('textbox', { name: 'CSV' }), {
      target: { value: csv },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));

    const errors = await screen.findByRole('grid', {
      name: 'Rows with errors',
    });
    expect(within(errors).getByText('in_production_at')).toBeInTheDocument();
    expect(
      within(errors).getByText('is before requested_at'),
    ).toBeInTheDocument();
    expect(screen.getByText('2 rows, 1 valid, 1 errors')).toBeInTheDocument();
    expect(
      screen.getByRole('grid', { name: 'Preview of what will be imported' }),
    ).toBeInTheDocument();
    expect(api.importBaseline).toHaveBeenCalledWith({
      kind: 'service-requests',
      dryRun: true,
      body: csv,
    });

    fireEvent.click(
      screen.getByRole('button', { name: /Import 1 valid rows/ }),
    );
    expect(
      await screen.findByText('Imported: 1 stored, 0 already present'),
    ).toBeInTheDocument();
  });

  it('shows the exact ingestion URLs', async () => {
    const api = mockMetricsApi({
      listCampaigns: jest.fn(async () => ({ items: [] })),
    });
    await render(api);
    expect(
      await screen.findByText(
        'http://localhost:7007/api/platform-metrics/v1/webhooks/pagerduty',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/X-Hub-Signature-256/)).toBeInTheDocument();
  });

  it('lists every ingestion source the backend registered', async () => {
    const api = mockMetricsApi({
      listCampaigns: jest.fn(async () => ({ items: [] })),
    });
    await render(api);
    const table = await screen.findByRole('grid', {
      name: 'Webhook endpoints',
    });
    expect(
      within(table).getByText(
        'http://localhost:7007/api/platform-metrics/v1/webhooks/opsgenie',
      ),
    ).toBeInTheDocument();
    expect(
      within(table).getByText(
        'opsgenie.com/component-selector, opsgenie.com/team',
      ),
    ).toBeInTheDocument();
    expect(
      within(table).getByText(
        'http://localhost:7007/api/platform-metrics/v1/events',
      ),
    ).toBeInTheDocument();
  });

  it('opens a draft campaign and shows campaign errors', async () => {
    const draft = {
      id: 'c9',
      title: 'Q1 survey',
      quarter: '2027-Q1',
      opensAt: '2027-01-01T00:00:00.000Z',
      closesAt: '2027-04-01T00:00:00.000Z',
      status: 'draft' as const,
      questions: [
        { id: 'satisfaction', kind: 'satisfaction' as const, text: 'Happy?' },
      ],
      createdAt: '2026-12-01T00:00:00.000Z',
      updatedAt: '2026-12-01T00:00:00.000Z',
    };
    const api = mockMetricsApi({
      listCampaigns: jest.fn(async () => ({ items: [draft] })),
      openCampaign: jest.fn(async () => {
        throw new Error('Another campaign is open');
      }),
    });
    await render(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Open' }));
    expect(
      await screen.findByText('Another campaign is open'),
    ).toBeInTheDocument();
    expect(api.openCampaign).toHaveBeenCalledWith('c9');
  });
});
