import { useApi } from '@backstage/frontend-plugin-api';
import type {
  DropCandidate,
  MetricsPeriod,
  UnfoundSearch,
} from '@internal/plugin-platform-metrics-common';
import { Flex, Text } from '@backstage/ui';
import { platformMetricsApiRef } from '../api';
import { DataTable, type DataColumn } from '../components/DataTable';
import { EntityLink } from '../components/EntityLink';
import { countOf } from '../components/format';
import { ErrorState, LoadingState } from '../components/States';
import { TitledCard } from '../components/TitledCard';
import { useAsyncData } from '../components/useAsyncData';
import { WeeklyUsageChart } from './WeeklyUsageChart';

const unfoundSearchColumns: DataColumn<UnfoundSearch>[] = [
  { title: 'search term', value: item => item.term },
  { title: 'searches', value: item => item.count },
];

const dropCandidateColumns: DataColumn<DropCandidate>[] = [
  { title: 'kind', value: item => item.kind },
  {
    title: 'template, page or plugin',
    value: item => item.ref,
    render: item =>
      item.kind === 'template' ? <EntityLink entityRef={item.ref} /> : item.ref,
  },
  {
    title: 'last used',
    value: item => item.lastUsedOn,
    render: item => item.lastUsedOn ?? 'never (in the kept history)',
  },
];

const teamColumns: DataColumn<{ teamRef: string }>[] = [
  {
    title: 'team',
    value: item => item.teamRef,
    render: item => <EntityLink entityRef={item.teamRef} />,
  },
];

/** Trends, searches that found nothing, drop candidates and teams off the golden paths. */
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
  const {
    weeks,
    unfoundSearches,
    dropCandidates,
    teamsWithoutCreations,
    minimumGroupSize,
  } = usage.value;
  const { teamRefs, otherTeams } = teamsWithoutCreations;
  return (
    <Flex direction="column" gap="4">
      <TitledCard title="Trends: who uses which part of the portal">
        <WeeklyUsageChart items={weeks} fileName={`${filePrefix}-weekly.csv`} />
      </TitledCard>
      <TitledCard title="Searches that found nothing">
        <DataTable
          title="Searches that found nothing"
          columns={unfoundSearchColumns}
          rows={[...unfoundSearches].sort(
            (a, b) => b.count - a.count || a.term.localeCompare(b.term),
          )}
          rowKey={item => item.term}
          fileName={`${filePrefix}-unfound-searches.csv`}
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
        <Flex direction="column" gap="2">
          <DataTable
            title="Teams without a golden-path creation"
            columns={teamColumns}
            rows={teamRefs.map(teamRef => ({ teamRef }))}
            rowKey={item => item.teamRef}
            fileName={`${filePrefix}-teams-without-creations.csv`}
            emptyMessage="Every team large enough to be shown created something from a golden path."
          />
          {otherTeams > 0 && (
            <Text color="secondary">
              And {countOf(otherTeams, 'smaller team')} (fewer than{' '}
              {minimumGroupSize} people), not named so that nobody can be
              singled out.
            </Text>
          )}
        </Flex>
      </TitledCard>
    </Flex>
  );
}
