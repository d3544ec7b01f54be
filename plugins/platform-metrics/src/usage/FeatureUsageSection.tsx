import { useApi } from '@backstage/frontend-plugin-api';
import type {
  DraftDropCandidateItem,
  DraftEmptySearchItem,
  MetricsPeriod,
} from '@internal/plugin-platform-metrics-common';
import { Flex } from '@backstage/ui';
import { platformMetricsApiRef } from '../api';
import { DataTable, type DataColumn } from '../components/DataTable';
import { EntityLink } from '../components/EntityLink';
import { formatDay } from '../components/periods';
import { ErrorState, LoadingState } from '../components/States';
import { TitledCard } from '../components/TitledCard';
import { useAsyncData } from '../components/useAsyncData';
import { WeeklyUsageChart } from './WeeklyUsageChart';

const emptySearchColumns: DataColumn<DraftEmptySearchItem>[] = [
  { title: 'search term', value: item => item.term },
  { title: 'searches', value: item => item.count },
];

const dropCandidateColumns: DataColumn<DraftDropCandidateItem>[] = [
  { title: 'kind', value: item => item.kind },
  {
    title: 'template or page',
    value: item => item.ref,
    render: item =>
      item.kind === 'template' ? <EntityLink entityRef={item.ref} /> : item.ref,
  },
  {
    title: 'last used',
    value: item => item.lastUsedAt,
    render: item =>
      item.lastUsedAt ? formatDay(item.lastUsedAt) : 'never (in kept history)',
  },
];

const teamColumns: DataColumn<{ teamRef: string }>[] = [
  {
    title: 'team',
    value: item => item.teamRef,
    render: item => <EntityLink entityRef={item.teamRef} />,
  },
];

/** Trends, empty searches, drop candidates and teams off the golden paths. */
export function FeatureUsageSection({
  period,
  filePrefix,
}: {
  period: MetricsPeriod;
  filePrefix: string;
}) {
  const api = useApi(platformMetricsApiRef);
  const usage = useAsyncData(
    () => api.getFeatureUsage(period),
    [api, period.from, period.to],
  );
  if (usage.error) {
    return (
      <ErrorState
        title="Feature usage could not be loaded"
        error={usage.error}
        onRetry={usage.retry}
      />
    );
  }
  if (!usage.value) return <LoadingState label="Loading feature usage" />;
  const { weekly, emptySearches, dropCandidates, teamsWithoutCreations } =
    usage.value;
  return (
    <Flex direction="column" gap="4">
      <TitledCard title="Trends: who uses which part of the portal">
        <WeeklyUsageChart
          items={weekly}
          fileName={`${filePrefix}-weekly.csv`}
        />
      </TitledCard>
      <TitledCard title="Searches that found nothing">
        <DataTable
          title="Searches that found nothing"
          columns={emptySearchColumns}
          rows={[...emptySearches].sort(
            (a, b) => b.count - a.count || a.term.localeCompare(b.term),
          )}
          rowKey={item => item.term}
          fileName={`${filePrefix}-empty-searches.csv`}
          emptyMessage="Every search found something."
        />
      </TitledCard>
      <TitledCard title="Drop candidates: unused for 90 days">
        <DataTable
          title="Templates and pages nobody used in 90 days"
          columns={dropCandidateColumns}
          rows={dropCandidates}
          rowKey={item => `${item.kind}|${item.ref}`}
          fileName={`${filePrefix}-drop-candidates.csv`}
          emptyMessage="Every template and page was used in the last 90 days."
        />
      </TitledCard>
      <TitledCard title="Teams that created nothing from a golden path">
        <DataTable
          title="Teams without a golden-path creation"
          columns={teamColumns}
          rows={teamsWithoutCreations}
          rowKey={item => item.teamRef}
          fileName={`${filePrefix}-teams-without-creations.csv`}
          emptyMessage="Every team shown created something from a golden path. Teams below the minimum group size are not listed."
        />
      </TitledCard>
    </Flex>
  );
}
