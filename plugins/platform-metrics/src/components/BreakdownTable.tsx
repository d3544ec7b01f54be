import { useApi } from '@backstage/frontend-plugin-api';
import type {
  BreakdownDimension,
  BreakdownMetric,
  MetricsBreakdown,
} from '@internal/plugin-platform-metrics-common';
import { platformMetricsApiRef } from '../api';
import { DataColumn, DataTable } from './DataTable';
import { EntityLink } from './EntityLink';
import { metricDefinitions } from './format';
import { ErrorState, LoadingState } from './States';
import { useAsyncData } from './useAsyncData';
import type { MetricsFilterState } from './useMetricsFilter';

/** A column of a metric's breakdown, after the column of the group's key. */
export type BreakdownColumn<M extends BreakdownMetric> = DataColumn<
  MetricsBreakdown<M>['items'][number]
>;

function keyColumn<M extends BreakdownMetric>(
  by: BreakdownDimension,
): BreakdownColumn<M> {
  return {
    title: by,
    value: row => row.key ?? 'unknown',
    render: row =>
      (by === 'team' || by === 'service') && row.key ? (
        <EntityLink entityRef={row.key} />
      ) : (
        row.key ?? 'unknown'
      ),
  };
}

/** One metric grouped by one dimension, one row per group. */
export function BreakdownTable<M extends BreakdownMetric>({
  metric,
  by,
  filter,
  columns,
}: {
  metric: M;
  by: BreakdownDimension;
  filter: MetricsFilterState;
  columns: BreakdownColumn<M>[];
}) {
  const api = useApi(platformMetricsApiRef);
  const data = useAsyncData(
    () => api.getBreakdown(filter.query, metric, by),
    [api, JSON.stringify(filter.query), metric, by],
  );
  const title = `${metricDefinitions[metric].title} by ${by}`;
  if (data.error) {
    return (
      <ErrorState
        title={`${title} could not be loaded`}
        error={data.error}
        onRetry={data.retry}
      />
    );
  }
  if (!data.value) return <LoadingState label={`Loading ${title}`} />;
  return (
    <DataTable
      title={title}
      columns={[keyColumn<M>(by), ...columns]}
      rows={data.value.items}
      rowKey={(row, i) => `${row.key ?? 'unknown'}-${i}`}
      emptyMessage="No data for this selection."
      fileName={`${metric}-by-${by}.csv`}
    />
  );
}
