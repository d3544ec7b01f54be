import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type {
  FeatureUsageResponse,
  TemplateFunnelItem,
  TemplateFunnelResult,
} from '@internal/plugin-platform-metrics-common';
import { parse } from 'papaparse';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { platformMetricsApiRef } from '../api';
import { mockMetricsApi, testConfig } from '../testing/fixtures';
import { PlatformUsagePage } from './PlatformUsagePage';

const period = {
  from: '2026-10-01T00:00:00.000Z',
  to: '2027-01-01T00:00:00.000Z',
};

const nodeService: TemplateFunnelItem = {
  templateRef: 'template:default/node-service',
  opened: 40,
  submitted: 25,
  succeeded: 21,
  failed: 4,
  failedSteps: [
    { stepId: 'register', count: 1 },
    { stepId: 'publish', count: 3 },
  ],
  firstProductionDeployment: 18,
  verified: null,
  medianFormMs: 150_000,
  startedViaApi: 2,
};

const pythonJob: TemplateFunnelItem = {
  templateRef: 'template:default/python-job',
  opened: 7,
  submitted: 0,
  succeeded: 0,
  failed: 0,
  failedSteps: [],
  firstProductionDeployment: 0,
  verified: 0,
  medianFormMs: null,
  startedViaApi: 0,
};

const features: FeatureUsageResponse = {
  ...period,
  weeks: [
    {
      week: '2026-11-02',
      kind: 'plugin',
      feature: 'catalog',
      users: 30,
      teams: 6,
    },
    {
      week: '2026-11-09',
      kind: 'plugin',
      feature: 'catalog',
      users: 28,
      teams: 6,
    },
    { week: '2026-11-02', kind: 'page', feature: '/docs', users: 9, teams: 3 },
  ],
  unfoundSearches: [
    { term: 'kafka topics', count: 4 },
    { term: 'vault', count: 9 },
  ],
  dropCandidates: [
    { kind: 'page', ref: '/catalog-graph', lastUsedOn: '2026-06-01' },
    { kind: 'template', ref: 'template:default/legacy-java', lastUsedOn: null },
  ],
  teamsWithoutCreations: { teamRefs: ['group:default/data'], otherTeams: 2 },
  minimumGroupSize: 5,
};

const emptyFeatures: FeatureUsageResponse = {
  ...period,
  weeks: [],
  unfoundSearches: [],
  dropCandidates: [],
  teamsWithoutCreations: { teamRefs: [], otherTeams: 0 },
  minimumGroupSize: 5,
};

function render(options: {
  funnel: TemplateFunnelItem[];
  features: FeatureUsageResponse;
  taskOutcomes?: TemplateFunnelResult['taskOutcomes'];
}) {
  const api = mockMetricsApi({
    getTemplateFunnel: jest.fn(
      async (): Promise<TemplateFunnelResult> => ({
        ...period,
        items: options.funnel,
        taskOutcomes: options.taskOutcomes ?? 'available',
      }),
    ),
    getFeatureUsage: jest.fn(async () => options.features),
  });
  const rendered = renderInTestApp(<PlatformUsagePage />, {
    config: testConfig,
    apis: [
      [platformMetricsApiRef, api],
      [catalogApiRef, catalogApiMock()],
      mockApis.permission(),
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
  return { api, rendered };
}

/** The CSV text the Export button hands to the browser. */
function captureDownloads() {
  const blobs: Blob[] = [];
  Object.assign(URL, {
    createObjectURL: jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:test';
    }),
    revokeObjectURL: jest.fn(),
  });
  // jsdom cannot follow a download link; the file is what matters.
  jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
  return () => blobs[blobs.length - 1].text();
}

describe('PlatformUsagePage', () => {
  it('shows the funnel per template, most opened first', async () => {
    const { api } = render({
      funnel: [pythonJob, nodeService],
      features: emptyFeatures,
    });
    const table = await screen.findByRole('grid', { name: 'Template funnel' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    const first = within(rows[0]);
    expect(first.getByText('node-service')).toBeInTheDocument();
    expect(first.getByText('publish ×3; register ×1')).toBeInTheDocument();
    expect(first.getByText('no checks configured')).toBeInTheDocument();
    expect(first.getByText('3 min')).toBeInTheDocument();
    // Opened without submitting shows as such, not as an empty row.
    const second = within(rows[1]);
    expect(second.getByText('python-job')).toBeInTheDocument();
    expect(second.getAllByText('0').length).toBeGreaterThan(0);
    expect(second.getByText('7')).toBeInTheDocument();

    // The current quarter, half-open, in UTC.
    const asked = api.getTemplateFunnel.mock.calls[0][0];
    expect(new Date(asked.from).getUTCDate()).toBe(1);
    expect(api.getFeatureUsage).toHaveBeenCalledWith(asked);
  });

  it('says activity, not value, and labels each section', async () => {
    render({ funnel: [nodeService], features });
    expect(await screen.findByText(/^Activity, not value/)).toBeInTheDocument();
    expect(
      await screen.findByRole('grid', { name: 'Searches that found nothing' }),
    ).toBeInTheDocument();
    const searches = screen.getByRole('grid', {
      name: 'Searches that found nothing',
    });
    const terms = within(searches)
      .getAllByRole('row')
      .slice(1)
      .map(row => within(row).getAllByRole('rowheader')[0].textContent);
    expect(terms).toEqual(['vault', 'kafka topics']);

    const drops = screen.getByRole('grid', {
      name: 'Templates and pages nobody used in 90 days',
    });
    expect(within(drops).getByText('/catalog-graph')).toBeInTheDocument();
    expect(within(drops).getByText('2026-06-01')).toBeInTheDocument();
    expect(
      within(drops).getByText('never (in the kept history)'),
    ).toBeInTheDocument();
    expect(within(drops).getByText('legacy-java')).toBeInTheDocument();

    const teams = screen.getByRole('grid', {
      name: 'Teams without a golden-path creation',
    });
    expect(within(teams).getByText('data')).toBeInTheDocument();
    // Small teams are counted, never named.
    expect(
      screen.getByText(/And 2 smaller teams \(fewer than 5 people\)/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'Weekly distinct users of the 1 most used plugins',
      }),
    ).toBeInTheDocument();
  });

  it('warns when the scaffolder could not be asked for task outcomes', async () => {
    render({
      funnel: [nodeService],
      features: emptyFeatures,
      taskOutcomes: 'unavailable',
    });
    expect(
      await screen.findByText('Task outcomes are missing'),
    ).toBeInTheDocument();
  });

  it('explains an empty period instead of showing empty tables', async () => {
    render({ funnel: [], features: emptyFeatures });
    expect(
      await screen.findByText(/No template was opened or run in this period/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Every search found something.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Every template and page was used in the last 90 days.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No plugin was used in this period.'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Export Template funnel as CSV' }),
    ).toBeDisabled();
  });

  it('exports the funnel as CSV with every step, the form time in seconds', async () => {
    const lastDownload = captureDownloads();
    render({ funnel: [pythonJob, nodeService], features: emptyFeatures });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Export Template funnel as CSV',
      }),
    );
    const csv = parse<Record<string, string>>(await lastDownload(), {
      header: true,
    });
    expect(csv.meta.fields).toEqual([
      'template',
      'opened',
      'submitted',
      'started via API',
      'succeeded',
      'failed',
      'failing steps',
      'first production deployment',
      'verified',
      'median form time (s)',
    ]);
    expect(csv.data).toEqual([
      {
        template: 'template:default/node-service',
        opened: '40',
        submitted: '25',
        'started via API': '2',
        succeeded: '21',
        failed: '4',
        'failing steps': 'publish ×3; register ×1',
        'first production deployment': '18',
        verified: '',
        'median form time (s)': '150',
      },
      {
        template: 'template:default/python-job',
        opened: '7',
        submitted: '0',
        'started via API': '0',
        succeeded: '0',
        failed: '0',
        'failing steps': '',
        'first production deployment': '0',
        verified: '0',
        'median form time (s)': '',
      },
    ]);
  });

  it('exports the empty searches as CSV', async () => {
    const lastDownload = captureDownloads();
    render({ funnel: [], features });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Export Searches that found nothing as CSV',
      }),
    );
    expect(await lastDownload()).toBe(
      'search term,searches\r\nvault,9\r\nkafka topics,4',
    );
  });
});
