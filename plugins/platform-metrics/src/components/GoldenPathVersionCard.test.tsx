import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import {
  goldenPathReleases,
  mockMetricsApi,
  testConfig,
} from '../testing/fixtures';
import { GoldenPathVersionCard } from './GoldenPathVersionCard';

function service(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'payments' },
  };
}

const onNode = (version: string) =>
  service({
    'backstage.io/source-template': 'template:default/node-service',
    'acme.example/template-version': version,
  });

function withVersions() {
  return mockMetricsApi({
    getGoldenPathVersions: jest.fn(async () => ({
      items: [
        {
          template: 'node-service',
          latest: '1.1.0',
          releases: goldenPathReleases,
        },
      ],
    })),
  });
}

const render = (entity: Entity, api: ReturnType<typeof mockMetricsApi>) =>
  renderInTestApp(
    <EntityProvider entity={entity}>
      <GoldenPathVersionCard />
    </EntityProvider>,
    { config: testConfig, apis: [[platformMetricsApiRef, api]] },
  );

describe('GoldenPathVersionCard', () => {
  it('tells the owners of an old service what the newer version changes and links the upgrade', async () => {
    await render(onNode('1.0.0'), withVersions());
    expect(await screen.findByText('1.1.0 available')).toBeInTheDocument();
    expect(
      screen.getByText(/created from node-service 1.0.0/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Production runs the image the pipeline built, by digest',
      ),
    ).toBeInTheDocument();
    // Only the releases after the service's version.
    expect(screen.queryByText('First release')).not.toBeInTheDocument();
    const upgrade = screen.getByRole('link', { name: 'Upgrade' });
    const href = new URL(upgrade.getAttribute('href')!, 'http://portal');
    expect(href.pathname).toBe('/create/templates/default/golden-path-upgrade');
    expect(JSON.parse(href.searchParams.get('formData')!)).toEqual({
      entity: 'component:default/checkout',
    });
  });

  it('says a service on the latest version is up to date, without an upgrade', async () => {
    await render(onNode('1.1.0'), withVersions());
    expect(
      await screen.findByText(/node-service 1.1.0: up to date/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Upgrade' })).toBeNull();
  });

  it('offers every release to a service that records no version', async () => {
    await render(
      service({
        'backstage.io/source-template': 'template:default/node-service',
      }),
      withVersions(),
    );
    expect(await screen.findByText('1.1.0 available')).toBeInTheDocument();
    expect(screen.getByText('First release')).toBeInTheDocument();
    expect(
      screen.getByText(/created from node-service no recorded version/),
    ).toBeInTheDocument();
  });

  it('renders nothing for a template the portal does not release', async () => {
    const api = withVersions();
    await render(
      service({
        'backstage.io/source-template': 'template:default/docs-site',
        'acme.example/template-version': '1.0.0',
      }),
      api,
    );
    await waitFor(() => expect(api.getGoldenPathVersions).toHaveBeenCalled());
    await waitFor(() =>
      expect(screen.queryByRole('status')).not.toBeInTheDocument(),
    );
    expect(screen.queryByText(/available|up to date/)).toBeNull();
  });

  it('shows why the versions could not be loaded', async () => {
    const api = mockMetricsApi({
      getGoldenPathVersions: jest.fn(async () => {
        throw new Error('The golden-path versions cannot be read');
      }),
    });
    await render(onNode('1.0.0'), api);
    expect(
      await screen.findByText('The golden-path versions cannot be read'),
    ).toBeInTheDocument();
  });
});
