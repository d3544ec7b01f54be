import {
  ApiBlueprint,
  AppRootElementBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  SubPageBlueprint,
  discoveryApiRef,
  fetchApiRef,
  storageApiRef,
} from '@backstage/frontend-plugin-api';
import { AnalyticsImplementationBlueprint } from '@backstage/plugin-app-react';
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
import TimelineIcon from '@material-ui/icons/Timeline';
import { Suspense, lazy } from 'react';
import { platformMetricsApiRef } from './api';
import { PortalUsageAnalytics } from './analytics/PortalUsageAnalytics';
import { isGoldenPathService } from './components/goldenPathChecklist';
import {
  goldenPathVersionsRouteRef,
  rootRouteRef,
  techdocsDocRootRouteRef,
  usageRouteRef,
} from './routes';

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

export const platformUsagePage = PageBlueprint.make({
  name: 'usage',
  params: {
    path: '/platform-usage',
    title: 'Platform usage',
    icon: <TimelineIcon />,
    routeRef: usageRouteRef,
    loader: () =>
      import('./usage/PlatformUsagePage').then(m => <m.PlatformUsagePage />),
  },
});

/** Sends the portal's analytics events to platform-metrics, unless the user opted out. */
export const portalUsageAnalytics = AnalyticsImplementationBlueprint.make({
  name: 'portal-usage',
  params: defineParams =>
    defineParams({
      deps: { api: platformMetricsApiRef, storageApi: storageApiRef },
      factory: ({ api, storageApi }) =>
        PortalUsageAnalytics.create({ api, storageApi }),
    }),
});

/** The opt-out switch, as a tab of the Settings page. */
export const usageTrackingSettings = SubPageBlueprint.make({
  name: 'usage-tracking',
  attachTo: { id: 'page:user-settings', input: 'pages' },
  params: {
    path: 'usage-analytics',
    title: 'Usage analytics',
    loader: async () => {
      const [m, { Container }] = await Promise.all([
        import('./analytics/UsageTrackingSettings'),
        import('@backstage/ui'),
      ]);
      return (
        <Container py="4">
          <m.UsageTrackingSettings />
        </Container>
      );
    },
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

export const goldenPathChecklistCard = EntityCardBlueprint.make({
  name: 'golden-path-checklist',
  params: {
    filter: isGoldenPathService,
    loader: () =>
      import('./components/GoldenPathChecklistCard').then(m => (
        <m.GoldenPathChecklistCard />
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
  routes: {
    root: rootRouteRef,
    usage: usageRouteRef,
    goldenPathVersions: goldenPathVersionsRouteRef,
  },
  externalRoutes: { techdocsDocRoot: techdocsDocRootRouteRef },
  extensions: [
    platformMetricsApi,
    platformValuePage,
    platformUsagePage,
    portalUsageAnalytics,
    usageTrackingSettings,
    surveyPrompt,
    serviceMetricsCard,
    goldenPathChecklistCard,
    serviceMetricsContent,
    goldenPathVersionsPage,
    goldenPathVersionCard,
  ],
});
