import { useApi } from '@backstage/frontend-plugin-api';
import type {
  MetricsQueryOptions,
  PlatformMetricsApi,
} from '@internal/plugin-platform-metrics-common';
import type { ReactNode } from 'react';
import { platformMetricsApiRef } from '../api';
import { ErrorState, LoadingState } from './States';
import { useAsyncData } from './useAsyncData';
import type { MetricsFilterState } from './useMetricsFilter';

/** Loads the lists behind a metric for the filter and renders them once they arrive. */
export function DrillDownData<T>({
  filter,
  load,
  children,
}: {
  filter: MetricsFilterState;
  load(api: PlatformMetricsApi, query: MetricsQueryOptions): Promise<T>;
  children(data: T): ReactNode;
}) {
  const api = useApi(platformMetricsApiRef);
  const data = useAsyncData(
    () => load(api, { ...filter.query, limit: 500 }),
    [api, JSON.stringify(filter.query)],
  );

  if (data.error) {
    return (
      <ErrorState
        title="The drill-down could not be loaded"
        error={data.error}
        onRetry={data.retry}
      />
    );
  }
  if (!data.value) return <LoadingState label="Loading drill-down" />;
  return <>{children(data.value)}</>;
}
