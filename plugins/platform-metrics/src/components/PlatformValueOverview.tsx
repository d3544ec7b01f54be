import { useApi } from '@backstage/frontend-plugin-api';
import { Flex, Grid } from '@backstage/ui';
import { useRef } from 'react';
import { platformMetricsApiRef } from '../api';
import { metricDefinitions, metricKeys } from './format';
import { MetricTile } from './MetricTile';
import { baselinePeriod, previousPeriod, trendPeriod } from './periods';
import { EmptyState, ErrorState, LoadingState, howToGetData } from './States';
import { useAsyncData } from './useAsyncData';
import type { MetricsFilterState } from './useMetricsFilter';
import { DataQualityPanel } from './DataQualityPanel';

/** The four headline tiles for the selected period, team and template. */
export function PlatformValueOverview({
  filter,
  detailHref,
}: {
  filter: MetricsFilterState;
  detailHref(metric: string): string;
}) {
  const api = useApi(platformMetricsApiRef);
  const { query } = filter;
  const key = JSON.stringify(query);

  // The headline's request, which the comparisons wait for.
  const headline = useRef<Promise<unknown>>();
  const current = useAsyncData(() => {
    const request = api.getSummary(query);
    headline.current = request;
    return request;
  }, [api, key]);
  // Comparisons load on their own so the headline shows as soon as it can, and
  // are asked after it: asked together, the requests share one backend process
  // and the headline waits behind them. (Effects run in order, so this one sees
  // the request made just above for the same selection.)
  const comparisons = useAsyncData(async () => {
    await headline.current?.catch(() => undefined);
    return Promise.all([
      api.getSummary({ ...query, ...previousPeriod(query) }),
      api.getSummary({ ...query, ...baselinePeriod(query), baseline: true }),
      api.getTrend({ ...query, ...trendPeriod(query) }, 'quarter'),
      api.getCurrentSurvey().catch(() => undefined),
    ]);
  }, [api, key]);

  if (current.error) {
    return (
      <ErrorState
        title="The platform metrics could not be loaded"
        error={current.error}
        onRetry={current.retry}
      />
    );
  }
  if (!current.value) {
    return <LoadingState label="Loading platform metrics" />;
  }
  const summary = current.value;
  const hasData = metricKeys.some(m => metricDefinitions[m].n(summary) > 0);
  const [previous, baseline, trend, survey] = comparisons.value ?? [];

  return (
    <Flex direction="column" gap="4">
      {!hasData && (
        <EmptyState title="No metrics for this selection yet">
          Nothing was recorded for this period
          {query.team || query.template ? ' and filter' : ''}. Try a longer
          period or another team. {howToGetData}
        </EmptyState>
      )}
      <Grid.Root columns={{ initial: '1', sm: '2', lg: '4' }} gap="4">
        {metricKeys.map(metric => (
          <MetricTile
            key={metric}
            metric={metric}
            summary={summary}
            previous={previous}
            baseline={baseline}
            trend={trend?.points}
            href={detailHref(metric)}
            minimumGroupSize={survey?.minimumGroupSize}
          />
        ))}
      </Grid.Root>
      {comparisons.error && (
        <ErrorState
          title="Comparisons and trends could not be loaded"
          error={comparisons.error}
          onRetry={comparisons.retry}
        />
      )}
      <DataQualityPanel filter={filter} />
    </Flex>
  );
}
