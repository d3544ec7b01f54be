import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import { mockMetricsApi, testConfig } from '../testing/fixtures';
import { PlatformUsagePage } from './PlatformUsagePage';

// AuthorizeResult is a string enum from a package this plugin does not depend on.
type Decision = NonNullable<
  NonNullable<Parameters<typeof mockApis.permission>[0]>['authorize']
>;
const DENY = 'DENY' as Extract<Decision, string>;

// A file of its own: usePermission caches decisions per permission for the whole
// module, so a denial would leak into the allowed cases.
describe('PlatformUsagePage without platform-metrics.usage.read', () => {
  it('is for the platform team only and asks the backend for nothing', async () => {
    const api = mockMetricsApi({
      getTemplateFunnel: jest.fn(),
      getFeatureUsage: jest.fn(),
    });
    const permission = mockApis.permission({ authorize: DENY });
    await renderInTestApp(<PlatformUsagePage />, {
      config: testConfig,
      apis: [[platformMetricsApiRef, api], permission],
    });
    expect(await screen.findByText('Platform team only')).toBeInTheDocument();
    expect(
      screen.getByText(/permission platform-metrics.usage.read/),
    ).toBeInTheDocument();
    expect(api.getTemplateFunnel).not.toHaveBeenCalled();
    expect(api.getFeatureUsage).not.toHaveBeenCalled();
  });
});
