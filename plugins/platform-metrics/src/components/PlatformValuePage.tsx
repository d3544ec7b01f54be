import { Container, Flex, Link } from '@backstage/ui';
import { type ReactNode, Suspense, lazy } from 'react';
import {
  Route,
  Routes,
  useLocation,
  useParams,
  useResolvedPath,
} from 'react-router-dom';
import { FilterBar } from './FilterBar';
import { isMetricKey, metricDefinitions, metricKeys } from './format';
import { PlatformValueOverview } from './PlatformValueOverview';
import { EmptyState, LoadingState } from './States';
import { useMetricsFilter } from './useMetricsFilter';

// The overview is where people land; the other sections bring tables, charts and
// forms it does not need, so their code loads when they are opened.
const MetricDetail = lazy(() =>
  import('./MetricDetail').then(m => ({ default: m.MetricDetail })),
);
const SurveyPage = lazy(() =>
  import('./SurveyPage').then(m => ({ default: m.SurveyPage })),
);
// Charts every metric by quarter with the chart library; it loads after the tiles.
const BeforeAndAfter = lazy(() =>
  import('./BeforeAndAfter').then(m => ({ default: m.BeforeAndAfter })),
);
const AdminPage = lazy(() =>
  import('./AdminPage').then(m => ({ default: m.AdminPage })),
);

function Section({ children }: { children: ReactNode }) {
  return (
    <Suspense fallback={<LoadingState label="Loading section" />}>
      {children}
    </Suspense>
  );
}

function useBase() {
  return useResolvedPath('.').pathname.replace(/\/$/, '');
}

function Dashboard() {
  const filter = useMetricsFilter();
  const base = useBase();
  const { search } = useLocation();
  const withSearch = (path: string) => `${path}${search}`;
  return (
    <Flex direction="column" gap="4">
      <FilterBar filter={filter} />
      <PlatformValueOverview
        filter={filter}
        detailHref={metric => withSearch(`${base}/metrics/${metric}`)}
      />
      <Section>
        <BeforeAndAfter filter={filter} />
      </Section>
    </Flex>
  );
}

function Detail() {
  const { metric } = useParams();
  const filter = useMetricsFilter();
  if (!isMetricKey(metric)) {
    return (
      <EmptyState title="Unknown metric">
        Choose one of{' '}
        {metricKeys.map(m => metricDefinitions[m].title).join(', ')}.
      </EmptyState>
    );
  }
  return (
    <Flex direction="column" gap="4">
      <FilterBar filter={filter} />
      <Section>
        <MetricDetail metric={metric} filter={filter} />
      </Section>
    </Flex>
  );
}

/** The "Platform value" page: dashboards, the survey and the admin area. */
export function PlatformValuePage() {
  const base = useBase();
  return (
    <Container>
      <Flex direction="column" gap="4" py="4">
        <Flex justify="end" align="center">
          <Flex gap="4" role="navigation" aria-label="Platform value sections">
            <Link href={base}>Overview</Link>
            <Link href={`${base}/survey`}>Survey</Link>
            <Link href={`${base}/admin`}>Admin</Link>
          </Flex>
        </Flex>
        <Routes>
          <Route path="/" element={<Dashboard />} />
          <Route path="/metrics/:metric" element={<Detail />} />
          <Route
            path="/survey"
            element={
              <Section>
                <SurveyPage />
              </Section>
            }
          />
          <Route
            path="/admin"
            element={
              <Section>
                <AdminPage />
              </Section>
            }
          />
        </Routes>
      </Flex>
    </Container>
  );
}
