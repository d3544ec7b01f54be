import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { screen, waitFor } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import { mockMetricsApi, summary, testConfig } from '../testing/fixtures';
import { EntityMetricsCard } from './EntityMetricsCard';
import { EntityMetricsContent } from './EntityMetricsContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default' },
  spec: { type: 'service', owner: 'payments' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
};
const ref = 'component:default/checkout-service';

function withData() {
  return mockMetricsApi({
    listServiceRequests: jest.fn(async () => ({
      items: [
        {
          id: 'r1',
          source: 'scaffolder',
          entityRef: ref,
          teamRef: 'group:default/payments',
          template: 'node-service',
          templateVersion: '2.1.0',
          requestedAt: '2026-01-01T10:00:00.000Z',
          readyAt: '2026-01-01T10:45:00.000Z',
          observabilityVerified: true,
          ticketId: null,
          baseline: false,
        },
        {
          id: 'r2',
          source: 'scaffolder',
          entityRef: 'component:default/other',
          teamRef: 'group:default/payments',
          template: 'node-service',
          templateVersion: '2.1.0',
          requestedAt: '2026-01-01T10:00:00.000Z',
          readyAt: null,
          observabilityVerified: true,
          ticketId: null,
          baseline: false,
        },
      ],
    })),
    listDeployments: jest.fn(async () => ({
      items: [
        {
          id: 'd1',
          source: 'github',
          entityRef: ref,
          teamRef: 'group:default/payments',
          environment: 'production',
          outcome: 'success',
          deployedAt: '2026-02-01T10:00:00.000Z',
          goldenTemplate: 'node-service',
          goldenVersion: '2.1.0',
          pipelineId: null,
        },
      ],
    })),
    listIncidents: jest.fn(async () => ({
      items: [
        {
          id: 'i1',
          source: 'pagerduty',
          incidentKey: 'PD-7',
          entityRef: ref,
          teamRef: 'group:default/payments',
          severity: 'P2',
          title: 'Checkout latency',
          url: null,
          startedAt: '2026-03-01T10:00:00.000Z',
          resolvedAt: '2026-03-01T12:00:00.000Z',
          baseline: false,
        },
      ],
    })),
    getBreakdown: jest.fn(async (_q: unknown, metric: string, by: string) => ({
      metric,
      by,
      items: [{ key: ref, value: summary({ mttrMedian: 7200 }).mttr }],
    })),
  });
}

const render = (element: JSX.Element, api: ReturnType<typeof mockMetricsApi>) =>
  renderInTestApp(<EntityProvider entity={entity}>{element}</EntityProvider>, {
    config: testConfig,
    apis: [[platformMetricsApiRef, api]],
  });

describe('EntityMetricsCard', () => {
  it("shows the service's lead time, golden path and MTTR", async () => {
    const api = withData();
    await render(<EntityMetricsCard />, api);
    expect(await screen.findByText(/45 min/)).toBeInTheDocument();
    expect(
      screen.getByText(/created from node-service 2.1.0/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/1 of 1 production deployments on the path/),
    ).toBeInTheDocument();
    expect(screen.getByText(/\(median\): 2.0 h \(n = 9\)/)).toBeInTheDocument();
    expect(screen.getByText(/restored in 2.0 h/)).toBeInTheDocument();
    expect(screen.getByText(/Checkout latency/)).toBeInTheDocument();
    // Lists are asked for by owning team, then narrowed to this service.
    expect(api.listIncidents).toHaveBeenCalledWith(
      expect.objectContaining({ team: 'group:default/payments' }),
    );
  });

  it('says a new service has no deployments yet, not that it is off the path', async () => {
    const api = mockMetricsApi({
      listServiceRequests: jest.fn(async () => ({
        items: [
          {
            id: 'r1',
            source: 'scaffolder',
            entityRef: ref,
            teamRef: 'group:default/payments',
            template: 'node-service',
            templateVersion: '2.1.0',
            requestedAt: '2026-12-03T10:00:00.000Z',
            readyAt: null,
            observabilityVerified: false,
            ticketId: null,
            baseline: false,
          },
        ],
      })),
    });
    await render(<EntityMetricsCard />, api);
    expect(
      await screen.findByText(
        /created from node-service 2.1.0 · no deployments yet/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/still in flight/)).toBeInTheDocument();
    expect(screen.queryByText(/off the path/)).not.toBeInTheDocument();
    expect(
      screen.queryByText(/production deployments on the path/),
    ).not.toBeInTheDocument();
  });

  it('says when the latest production deployment left the golden path', async () => {
    const api = mockMetricsApi({
      listDeployments: jest.fn(async () => ({
        items: [
          {
            id: 'd2',
            source: 'github',
            entityRef: ref,
            teamRef: 'group:default/payments',
            environment: 'production',
            outcome: 'success',
            deployedAt: '2026-03-01T10:00:00.000Z',
            goldenTemplate: null,
            goldenVersion: null,
            pipelineId: null,
          },
          {
            id: 'd1',
            source: 'github',
            entityRef: ref,
            teamRef: 'group:default/payments',
            environment: 'production',
            outcome: 'success',
            deployedAt: '2026-02-01T10:00:00.000Z',
            goldenTemplate: 'node-service',
            goldenVersion: '2.1.0',
            pipelineId: null,
          },
        ],
      })),
    });
    await render(<EntityMetricsCard />, api);
    expect(
      await screen.findByText(
        /latest deployment is off the path · 1 of 2 production deployments on the path/,
      ),
    ).toBeInTheDocument();
  });

  it('renders nothing for a service without data', async () => {
    const api = mockMetricsApi();
    await render(
      <>
        <EntityMetricsCard />
      </>,
      api,
    );
    await waitFor(() => expect(api.getBreakdown).toHaveBeenCalled());
    await waitFor(() =>
      expect(screen.queryByRole('status')).not.toBeInTheDocument(),
    );
    expect(screen.queryByText('Delivery metrics')).not.toBeInTheDocument();
  });

  it('shows loading, then errors', async () => {
    let fail: (e: Error) => void = () => {};
    const api = mockMetricsApi({
      listServiceRequests: jest.fn(
        () => new Promise((_, reject) => (fail = reject)),
      ),
    });
    await render(<EntityMetricsCard />, api);
    expect(
      await screen.findByRole('status', { name: 'Loading delivery metrics' }),
    ).toBeInTheDocument();
    fail(new Error('metrics backend unavailable'));
    expect(
      await screen.findByText('metrics backend unavailable'),
    ).toBeInTheDocument();
  });
});

describe('EntityMetricsContent', () => {
  it('lists the full history', async () => {
    await render(<EntityMetricsContent />, withData());
    expect(
      await screen.findByRole('grid', { name: 'Incidents' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('grid', { name: 'Deployments' }),
    ).toBeInTheDocument();
    expect(screen.getByText('node-service@2.1.0')).toBeInTheDocument();
  });

  it('tells how to get data flowing when there is none', async () => {
    await render(<EntityMetricsContent />, mockMetricsApi());
    expect(
      await screen.findByText('No delivery data for this service yet'),
    ).toBeInTheDocument();
  });
});
