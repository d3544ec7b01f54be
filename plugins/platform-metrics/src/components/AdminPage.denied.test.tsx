import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import { mockMetricsApi, testConfig } from '../testing/fixtures';
import { AdminPage } from './AdminPage';

// AuthorizeResult is a string enum from a package this plugin does not depend on.
type Decision = NonNullable<
  NonNullable<Parameters<typeof mockApis.permission>[0]>['authorize']
>;
const DENY = 'DENY' as Extract<Decision, string>;

// A file of its own: usePermission caches decisions per permission for the whole
// module, so a denial would leak into the allowed cases.
describe('AdminPage without platform-metrics.admin', () => {
  it('is for the platform team only', async () => {
    const api = mockMetricsApi();
    await renderInTestApp(<AdminPage />, {
      config: testConfig,
      apis: [
        [platformMetricsApiRef, api],
        mockApis.permission({ authorize: DENY }),
      ],
    });
    expect(await screen.findByText('Platform team only')).toBeInTheDocument();
    expect(api.listCampaigns).not.toHaveBeenCalled();
    expect(api.importBaseline).not.toHaveBeenCalled();
  });
});
