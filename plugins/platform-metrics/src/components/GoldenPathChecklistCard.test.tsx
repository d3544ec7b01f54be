import type { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { ServiceChecksResponse } from '@internal/plugin-platform-metrics-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import { techdocsDocRootRouteRef } from '../routes';
import {
  daysAgo,
  mockMetricsApi,
  serviceChecks,
  testConfig,
} from '../testing/fixtures';
import { GoldenPathChecklistCard } from './GoldenPathChecklistCard';

const generated: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-service',
    namespace: 'default',
    annotations: {
      'backstage.io/source-template': 'template:default/node-service',
      'backstage.io/techdocs-ref': 'dir:.',
      'prometheus.io/rule': 'checkout-service',
    },
  },
  spec: { type: 'service', owner: 'payments' },
};

const render = (api: ReturnType<typeof mockMetricsApi>, entity = generated) =>
  renderInTestApp(
    <EntityProvider entity={entity}>
      <GoldenPathChecklistCard />
    </EntityProvider>,
    {
      config: testConfig,
      apis: [
        [platformMetricsApiRef, api],
        [catalogApiRef, catalogApiMock()],
        // Allows everything, "check now" included.
        mockApis.permission(),
      ],
      mountedRoutes: {
        '/docs/:namespace/:kind/:name': techdocsDocRootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );

/** The table row of one check, found by its promise and label. */
const row = async (name: RegExp) => {
  const table = await screen.findByRole('grid', {
    name: 'Golden path checklist',
  });
  return within(table).getByRole('row', { name });
};

const passingSince3Days = {
  status: 'pass' as const,
  since: daysAgo(3),
  lastCheckedAt: daysAgo(0.01),
  detail: '',
};

describe('GoldenPathChecklistCard', () => {
  it('shows passing and failing promises, why they fail and the runbook that fixes them', async () => {
    const api = mockMetricsApi({
      getServiceChecks: jest.fn(async () =>
        serviceChecks(passingSince3Days, {
          health: {
            status: 'fail',
            since: daysAgo(2),
            detail:
              'GET https://checkout.acme.example/readyz answered 503. Look at the pods and their logs.',
          },
          tls: {
            status: 'fail',
            since: daysAgo(1),
            detail:
              'The certificate expires in 6 days; cert-manager has not renewed it.',
          },
          dns: {
            status: 'fail',
            since: daysAgo(1),
            detail: 'checkout.acme.example does not resolve.',
          },
        }),
      ),
    });
    render(api);

    expect(await screen.findByText('Not verified yet')).toBeInTheDocument();
    expect(api.getServiceChecks).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'checkout-service',
    });

    const image = await row(/Docker image/);
    expect(within(image).getByText('Pass')).toBeInTheDocument();
    const since = within(image).getByText('3 days ago');
    // The exact time on hover.
    expect(since).toHaveAttribute(
      'title',
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
    );
    expect(within(image).queryByRole('link')).toBeNull();

    const health = await row(/Health/);
    expect(within(health).getByText('Failing')).toBeInTheDocument();
    expect(within(health).getByText('2 days ago')).toBeInTheDocument();
    expect(within(health).getByText(/readyz answered 503/)).toBeInTheDocument();
    expect(
      within(health).getByRole('link', {
        name: 'Runbook: Service unavailable',
      }),
    ).toHaveAttribute(
      'href',
      '/docs/default/component/checkout-service/runbooks/unavailable/',
    );

    expect(
      within(await row(/TLS/)).getByRole('link', {
        name: 'Runbook: Certificate expiring',
      }),
    ).toHaveAttribute(
      'href',
      '/docs/default/component/checkout-service/runbooks/certificate-expiry/',
    );
    // No generated alert describes DNS: the golden path docs say what it set up.
    expect(
      within(await row(/DNS/)).getByRole('link', {
        name: 'Golden path docs: what you got',
      }),
    ).toHaveAttribute(
      'href',
      '/docs/default/component/checkout-service/#what-you-got',
    );

    // Scraping is shown beside the alerts it feeds.
    const promises = within(
      screen.getByRole('grid', { name: 'Golden path checklist' }),
    ).getAllByRole('rowheader');
    expect(promises.map(cell => cell.textContent)).toEqual([
      'Docker image',
      'CI',
      'Alerts · rules loaded',
      'Alerts · Prometheus scrapes it',
      'Logs',
      'TLS',
      'DNS',
      'Health · /readyz',
    ]);
  });

  it('says when the service was verified', async () => {
    const api = mockMetricsApi({
      getServiceChecks: jest.fn(async () =>
        serviceChecks(passingSince3Days, {}, daysAgo(3)),
      ),
    });
    render(api);
    const verified = await screen.findByText(/^Verified/);
    expect(verified).toHaveTextContent('Verified 3 days ago');
    expect(screen.queryByText('Not verified yet')).toBeNull();
  });

  it('says honestly that live checks are not configured', async () => {
    const api = mockMetricsApi({
      getServiceChecks: jest.fn(async () =>
        serviceChecks({
          status: 'not-configured',
          since: null,
          lastCheckedAt: null,
          detail: '',
        }),
      ),
    });
    render(api);
    expect(
      await screen.findByText('Live checks are not configured in this portal'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Not configured')).toHaveLength(8);
    expect(screen.queryByText('Pass')).toBeNull();
    expect(screen.queryByText('Not checked yet')).toBeNull();
  });

  it('shows a fresh service as not checked yet, never as passing', async () => {
    const api = mockMetricsApi({
      getServiceChecks: jest.fn(async () => ({
        // A backend that has not run a check yet may answer with none at all.
        checks: [],
        verifiedAt: null,
      })),
    });
    render(api);
    expect(
      await screen.findByText(/first results appear after the next run/),
    ).toBeInTheDocument();
    const logs = await row(/Logs/);
    expect(within(logs).getByText('Not checked yet')).toBeInTheDocument();
    expect(within(logs).getByText('never')).toBeInTheDocument();
    expect(screen.queryByText('Pass')).toBeNull();
    expect(screen.getByText('Not verified yet')).toBeInTheDocument();
  });

  it('links a service without docs to the golden path it came from', async () => {
    const { 'backstage.io/techdocs-ref': _docs, ...annotations } =
      generated.metadata.annotations!;
    const api = mockMetricsApi({
      getServiceChecks: jest.fn(async () =>
        serviceChecks(passingSince3Days, {
          logs: {
            status: 'fail',
            detail: 'No log line from the service in the last 15 minutes.',
          },
        }),
      ),
    });
    render(api, {
      ...generated,
      metadata: { ...generated.metadata, annotations },
    });
    const logs = await row(/Logs/);
    expect(
      within(logs).getByRole('link', {
        name: /The golden path it was created from/,
      }),
    ).toHaveAttribute('href', '/catalog/default/template/node-service');
  });

  it('re-runs the checks on "check now" and shows the new results', async () => {
    let answer: (response: ServiceChecksResponse) => void = () => {};
    const api = mockMetricsApi({
      getServiceChecks: jest.fn(async () =>
        serviceChecks(passingSince3Days, {
          alerts: {
            status: 'fail',
            since: daysAgo(1),
            detail: 'Rule group checkout-service is not loaded.',
          },
        }),
      ),
      runServiceChecks: jest.fn(
        () => new Promise<ServiceChecksResponse>(r => (answer = r)),
      ),
    });
    render(api);
    const alerts = await row(/rules loaded/);
    expect(within(alerts).getByText('Failing')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Check now' }));
    expect(
      await screen.findByText('Running the checks against production…'),
    ).toBeInTheDocument();
    expect(api.runServiceChecks).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'checkout-service',
    });

    answer(
      serviceChecks(
        passingSince3Days,
        { alerts: { since: daysAgo(0), lastCheckedAt: daysAgo(0) } },
        daysAgo(0),
      ),
    );
    await waitFor(() => expect(screen.queryByText('Failing')).toBeNull());
    expect(
      within(await row(/rules loaded/)).getByText('Pass'),
    ).toBeInTheDocument();
    expect(screen.getByText(/^Verified/)).toHaveTextContent(
      'Verified just now',
    );
    expect(
      screen.queryByText('Running the checks against production…'),
    ).toBeNull();
  });

  it('keeps the last results and shows the error when "check now" fails', async () => {
    const api = mockMetricsApi({
      getServiceChecks: jest.fn(async () => serviceChecks(passingSince3Days)),
      runServiceChecks: jest.fn(async () => {
        throw new Error('Prometheus did not answer within 5 s');
      }),
    });
    render(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Check now' }));
    expect(
      await screen.findByText('The checks could not be run'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Prometheus did not answer within 5 s'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Pass')).toHaveLength(8);
  });

  it('says when the checks cannot be loaded', async () => {
    const api = mockMetricsApi({
      getServiceChecks: jest.fn(async () => {
        throw new Error('metrics backend unavailable');
      }),
    });
    render(api);
    expect(
      await screen.findByText('The checks could not be loaded'),
    ).toBeInTheDocument();
    expect(screen.getByText('metrics backend unavailable')).toBeInTheDocument();
  });
});
