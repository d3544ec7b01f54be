import { Container, Flex, Link } from '@backstage/ui';
import {
  Route,
  Routes,
  useLocation,
  useParams,
  useResolvedPath,
} from 'react-router-dom';
import { AdminPage } from './AdminPage';
import { BeforeAndAfter } from './BeforeAndAfter';
import { FilterBar } from './FilterBar';
import { isMetricKey, metricDefinitions, metricKeys } from './format';
import { MetricDetail } from './MetricDetail';
import { PlatformValueOverview } from './PlatformValueOverview';
import { EmptyState } from './States';
import { SurveyPage } from './SurveyPage';
import { useMetricsFilter } from './useMetricsFilter';

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
      <BeforeAndAfter filter={filter} />
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
      <MetricDetail metric={metric} filter={filter} />
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
          <Route path="/survey" element={<SurveyPage />} />
          <Route path="/admin" element={<AdminPage />} />
        </Routes>
      </Flex>
    </Container>
  );
}
