import { useApi } from '@backstage/frontend-plugin-api';
import { Flex, Text } from '@backstage/ui';
import { platformMetricsApiRef } from '../api';
import { DataQualityPanel } from './DataQualityPanel';
import { MetricKey, metricDefinitions } from './format';
import { EventMetricDetail, metricDetails } from './metricDetails';
import { ErrorState, LoadingState } from './States';
import { TitledCard } from './TitledCard';
import { TrendChart } from './TrendChart';
import { useAsyncData } from './useAsyncData';
import type { MetricsFilterState } from './useMetricsFilter';

/** Everything behind one headline number. */
export function MetricDetail({
  metric,
  filter,
}: {
  metric: MetricKey;
  filter: MetricsFilterState;
}) {
  const definition = metricDefinitions[metric];
  const detail = metricDetails[metric];

  return (
    <Flex direction="column" gap="4">
      <Text as="h1" variant="title-medium">
        {definition.title}
      </Text>
      <TitledCard title="How this is computed">
        <Text>{definition.definition}</Text>
      </TitledCard>
      {detail.kind === 'survey' ? (
        <detail.Results filter={filter} />
      ) : (
        <EventMetricSections metric={metric} detail={detail} filter={filter} />
      )}
    </Flex>
  );
}

/** The summary is fetched only for metrics computed from events; survey results bring their own. */
function EventMetricSections({
  metric,
  detail,
  filter,
}: {
  metric: MetricKey;
  detail: EventMetricDetail;
  filter: MetricsFilterState;
}) {
  const api = useApi(platformMetricsApiRef);
  const summary = useAsyncData(
    () => api.getSummary(filter.query),
    [api, JSON.stringify(filter.query)],
  );
  return (
    <>
      <TrendChart metric={metric} filter={filter} />
      {summary.error && (
        <ErrorState
          title="The summary could not be loaded"
          error={summary.error}
          onRetry={summary.retry}
        />
      )}
      {!summary.error && !summary.value && (
        <LoadingState label="Loading summary" />
      )}
      {summary.value && <detail.Distribution summary={summary.value} />}
      <TitledCard title="Breakdown">
        <Flex direction="column" gap="4">
          {detail.breakdownDimensions.map(by => (
            <detail.Breakdown key={by} by={by} filter={filter} />
          ))}
        </Flex>
      </TitledCard>
      <TitledCard title="Behind the number">
        <detail.DrillDown filter={filter} />
      </TitledCard>
      <DataQualityPanel filter={filter} />
    </>
  );
}
