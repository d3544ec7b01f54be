import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import { platformMetricsApiRef } from '../../api';
import { mockMetricsApi, testConfig } from '../../testing/fixtures';
import { GoldenPathVersionsPage } from '../GoldenPathVersionsPage';

/**
 * The versions page with the given drift answer and scaffolder; permission
 * decisions are Backstage's mock unless `permission` is given.
 */
export function renderGoldenPathVersionsPage(options: {
  getGoldenPathDrift: jest.Mock;
  scaffolder: object;
  permission?: ReturnType<typeof mockApis.permission>;
}) {
  return renderInTestApp(<GoldenPathVersionsPage />, {
    config: testConfig,
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    apis: [
      [catalogApiRef, catalogApiMock()],
      [
        platformMetricsApiRef,
        mockMetricsApi({ getGoldenPathDrift: options.getGoldenPathDrift }),
      ],
      [scaffolderApiRef, options.scaffolder as any],
      options.permission ?? mockApis.permission(),
    ],
  });
}
