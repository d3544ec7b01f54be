import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import { screen } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import { mockMetricsApi, testConfig } from '../testing/fixtures';
import { GoldenPathVersionsPage } from './GoldenPathVersionsPage';

// AuthorizeResult is a string enum from a package this plugin does not depend on.
type Decision = NonNullable<
  NonNullable<Parameters<typeof mockApis.permission>[0]>['authorize']
>;
const DENY = 'DENY' as Extract<Decision, string>;

// A file of its own: usePermission caches decisions per permission for the
// whole module, so a denial would leak into the allowed cases.
describe('GoldenPathVersionsPage without platform-metrics.admin', () => {
  it('shows the drift but offers no bulk upgrade', async () => {
    const scaffold = jest.fn();
    await renderInTestApp(<GoldenPathVersionsPage />, {
      config: testConfig,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [catalogApiRef, catalogApiMock()],
        [
          platformMetricsApiRef,
          mockMetricsApi({
            getGoldenPathDrift: jest.fn(async () => ({
              items: [
                {
                  template: 'node-service',
                  title: 'TypeScript/Node.js service',
                  latest: '1.1.0',
                  versions: [{ version: '1.0.0', services: 1 }],
                  behind: [
                    {
                      entityRef: 'component:default/legacy-orders',
                      title: null,
                      owner: null,
                      ownerTitle: null,
                      version: '1.0.0',
                      behindSince: null,
                      unknownReason:
                        'versions.yaml gives no release date for 1.1.0',
                    },
                  ],
                },
              ],
            })),
          }),
        ],
        [scaffolderApiRef, { scaffold } as any],
        mockApis.permission({ authorize: DENY }),
      ],
    });
    expect(
      await screen.findByText(
        'unknown: versions.yaml gives no release date for 1.1.0',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Upgrading services in bulk is for the platform team/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(
      screen.queryByRole('button', { name: /Open upgrade requests/ }),
    ).toBeNull();
    expect(scaffold).not.toHaveBeenCalled();
  });
});
