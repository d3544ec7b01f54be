import type { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import { techdocsDocRootRouteRef } from '../routes';
import {
  daysAgo,
  mockMetricsApi,
  serviceChecks,
  testConfig,
} from '../testing/fixtures';
import { GoldenPathChecklistCard } from './GoldenPathChecklistCard';

// AuthorizeResult is a string enum from a package this plugin does not depend on.
type Decision = NonNullable<
  NonNullable<Parameters<typeof mockApis.permission>[0]>['authorize']
>;
const DENY = 'DENY' as Extract<Decision, string>;

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-service',
    annotations: {
      'backstage.io/source-template': 'template:default/node-service',
    },
  },
  spec: { type: 'service', owner: 'payments' },
};

// A file of its own: usePermission caches decisions per permission for the whole
// module, so a denial would leak into the allowed cases.
describe('GoldenPathChecklistCard without platform-metrics.checks.run', () => {
  it('shows the checks but no "check now"', async () => {
    const api = mockMetricsApi({
      getServiceChecks: jest.fn(async () =>
        serviceChecks({
          status: 'pass',
          since: daysAgo(3),
          lastCheckedAt: daysAgo(0.01),
          detail: '',
        }),
      ),
    });
    renderInTestApp(
      <EntityProvider entity={entity}>
        <GoldenPathChecklistCard />
      </EntityProvider>,
      {
        config: testConfig,
        apis: [
          [platformMetricsApiRef, api],
          mockApis.permission({ authorize: DENY }),
        ],
        mountedRoutes: {
          '/docs/:namespace/:kind/:name': techdocsDocRootRouteRef,
        },
      },
    );
    expect(await screen.findAllByText('Pass')).toHaveLength(8);
    // The entity has no namespace: the catalog's default is asked for.
    expect(api.getServiceChecks).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'checkout-service',
    });
    expect(screen.queryByRole('button', { name: 'Check now' })).toBeNull();
    expect(api.runServiceChecks).not.toHaveBeenCalled();
  });
});
