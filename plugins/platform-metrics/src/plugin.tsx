import {
  ApiBlueprint,
  AppRootElementBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  goldenPathOf,
  PlatformMetricsClient,
} from '@internal/plugin-platform-metrics-common';
import CallMergeIcon from '@material-ui/icons/CallMerge';
import TrendingUpIcon from '@material-ui/icons/TrendingUp';
import { Suspense, lazy } from 'react';
import { platformMetricsApiRef } from './api';
import { goldenPathVersionsRouteRef, rootRouteRef } from './routes';

const isService = (entity: { kind: string; spec?: Record<string, unknown> }) =>
  entity.kind.toLocaleLowerCase('en-US') === 'component' &&
  entity.spec?.type === 'service';

export const platformMetricsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: platformMetricsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PlatformMetricsClient({ discoveryApi, fetchApi }),
    }),
});

export const platformValuePage = PageBlueprint.make({
  params: {
    path: '/platform-value',
    title: 'Platform value',
    icon: <TrendingUpIcon />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/PlatformValuePage').then(m => (
        <m.PlatformValuePage />
      )),
  },
});

export const goldenPathVersionsPage = PageBlueprint.make({
  name: 'golden-path-versions',
  params: {
    path: '/golden-path-versions',
    title: 'Golden path versions',
    icon: <CallMergeIcon />,
    routeRef: goldenPathVersionsRouteRef,
    loader: () =>
      import('./components/GoldenPathVersionsPage').then(m => (
        <m.GoldenPathVersionsPage />
      )),
  },
});

// The prompt is on every page, so its code is split off like the pages' code.
const SurveyPrompt = lazy(() =>
  import('./components/SurveyPrompt').then(m => ({ default: m.SurveyPrompt })),
);

export const surveyPrompt = AppRootElementBlueprint.make({
  params: {
    element: (
      <Suspense fallback={null}>
        <SurveyPrompt />
      </Suspense>
    ),
  },
});

export const serviceMetricsCard = EntityCardBlueprint.make({
  name: 'service-metrics',
  params: {
    filter: isService,
    loader: () =>
      import('./components/EntityMetricsCard').then(m => (
        <m.EntityMetricsCard />
      )),
  },
});

export const goldenPathVersionCard = EntityCardBlueprint.make({
  name: 'golden-path-version',
  params: {
    filter: entity => goldenPathOf(entity) !== undefined,
    loader: () =>
      import('./components/GoldenPathVersionCard').then(m => (
        <m.GoldenPathVersionCard />
      )),
  },
});

export const serviceMetricsContent = EntityContentBlueprint.make({
  name: 'service-metrics',
  params: {
    path: 'platform-metrics',
    title: 'Delivery metrics',
    filter: isService,
    loader: () =>
      import('./components/EntityMetricsContent').then(m => (
        <m.EntityMetricsContent />
      )),
  },
});

/** Platform value dashboards, service metrics and the developer survey. */
export const platformMetricsPlugin = createFrontendPlugin({
  pluginId: 'platform-metrics',
  title: 'Platform value',
  icon: <TrendingUpIcon />,
  routes: { root: rootRouteRef, goldenPathVersions: goldenPathVersionsRouteRef },
  extensions: [
    platformMetricsApi,
    platformValuePage,
    surveyPrompt,
    serviceMetricsCard,
    serviceMetricsContent,
    goldenPathVersionsPage,
    goldenPathVersionCard,
  ],
});
