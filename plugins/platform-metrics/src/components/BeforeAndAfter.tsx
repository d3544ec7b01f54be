import type {
  MetricsQueryOptions,
  MetricsSummary,
  PlatformMetricsApi,
} from '@internal/plugin-platform-metrics-common';
import { useApi } from '@backstage/frontend-plugin-api';
import { Flex, Grid, Text } from '@backstage/ui';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { platformMetricsApiRef } from '../api';
import { MetricKey, metricDefinitions, metricKeys } from './format';
import { baselinePeriod, quarterName, trendPeriod } from './periods';
import { EmptyState, ErrorState, LoadingState } from './States';
import { TitledCard } from './TitledCard';
import { useAsyncData } from './useAsyncData';
import type { MetricsFilterState } from './useMetricsFilter';

const ERA = 'Ticket era';
const LIVE = 'With the portal';

/** Whether a quarter holds any ticket-era row: the durations are all it has. */
const hasEraData = (point: MetricsSummary) =>
  point.leadTime.count + point.mttr.count > 0;

interface Quarters {
  era: MetricsSummary[];
  live: MetricsSummary[];
  /** Whether any ticket-era row was imported. */
  hasEra: boolean;
}

/**
 * Loads the ticket era by quarter over the same window the tiles compare with,
 * then the live quarters from the first ticket-era quarter to the period end.
 */
async function loadQuarters(
  api: PlatformMetricsApi,
  query: MetricsQueryOptions,
): Promise<Quarters> {
  const era = await api.getTrend(
    { ...query, ...baselinePeriod(query), baseline: true },
    'quarter',
  );
  const firstEra = era.points.find(hasEraData);
  const from = firstEra?.period.from ?? trendPeriod(query).from;
  const live = await api.getTrend({ ...query, from }, 'quarter');
  return {
    era: era.points.filter(p => p.period.from >= from),
    live: live.points,
    hasEra: firstEra !== undefined,
  };
}

/** One metric by quarter: the ticket era beside the live numbers. */
function QuarterChart({
  metric,
  quarters,
}: {
  metric: MetricKey;
  quarters: Quarters;
}) {
  const definition = metricDefinitions[metric];
  // The ticket-era import holds service requests and incidents only.
  const withEra = definition.baseline === 'side-by-side';
  const eraByQuarter = new Map(
    quarters.era.map(p => [quarterName(p.period.from), definition.value(p)]),
  );
  const seconds = definition.unit === 'seconds';
  // A log scale keeps weeks and minutes on one chart; it has no room for 0.
  const plotted = (value: number | null | undefined) =>
    value === null || value === undefined || (seconds && value <= 0)
      ? null
      : value;
  const data = quarters.live.map(point => {
    const quarter = quarterName(point.period.from);
    return {
      quarter,
      era: plotted(eraByQuarter.get(quarter)),
      live: plotted(definition.value(point)),
    };
  });
  const format = (value: unknown) => definition.format(value as number | null);
  const label = withEra
    ? `${definition.title} by quarter, ticket era and with the portal`
    : `${definition.title} by quarter`;

  return (
    <Flex direction="column" gap="1">
      <Text as="h3" variant="title-x-small">
        {definition.title}
      </Text>
      <div role="img" aria-label={label} style={{ width: '100%', height: 220 }}>
        <ResponsiveContainer>
          <LineChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="quarter" />
            {seconds ? (
              <YAxis
                scale="log"
                domain={['auto', 'auto']}
                tickFormatter={format}
                width={70}
              />
            ) : (
              <YAxis domain={[0, 100]} tickFormatter={format} width={70} />
            )}
            <Tooltip formatter={format} />
            <Legend />
            {withEra && (
              <Line
                isAnimationActive={false}
                dataKey="era"
                name={ERA}
                stroke="#8c8c8c"
                strokeDasharray="6 3"
                strokeWidth={2}
                connectNulls
              />
            )}
            <Line
              isAnimationActive={false}
              dataKey="live"
              name={LIVE}
              stroke="#1f77b4"
              strokeWidth={2}
              connectNulls
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      {!withEra && (
        <Text variant="body-small" color="secondary">
          The ticket era recorded no {definition.nLabel} to set beside these.
        </Text>
      )}
    </Flex>
  );
}

/**
 * Every metric by quarter, from the first quarter of the imported ticket era to
 * the end of the selected period: the before/after picture.
 */
export function BeforeAndAfter({ filter }: { filter: MetricsFilterState }) {
  const api = useApi(platformMetricsApiRef);
  const { query } = filter;
  const quarters = useAsyncData(
    () => loadQuarters(api, query),
    [api, JSON.stringify(query)],
  );

  let body;
  if (quarters.error) {
    body = (
      <ErrorState
        title="The before and after could not be loaded"
        error={quarters.error}
        onRetry={quarters.retry}
      />
    );
  } else if (!quarters.value) {
    body = <LoadingState label="Loading the before and after" />;
  } else if (quarters.value.live.length === 0) {
    body = <Text color="secondary">No quarter in this selection.</Text>;
  } else {
    const { live, hasEra } = quarters.value;
    body = (
      <Flex direction="column" gap="4">
        <Text color="secondary">
          {quarterName(live[0].period.from)} to{' '}
          {quarterName(live[live.length - 1].period.from)}, by quarter. The
          ticket era is the imported baseline; durations are on a logarithmic
          scale, so that weeks and minutes fit on one chart.
        </Text>
        {!hasEra && (
          <EmptyState title="No ticket-era baseline yet">
            Import the service requests and incidents of the ticket era under{' '}
            <strong>Admin → Baseline import</strong> to see them beside
            today&apos;s numbers.
          </EmptyState>
        )}
        <Grid.Root columns={{ initial: '1', lg: '2' }} gap="4">
          {metricKeys.map(metric => (
            <QuarterChart
              key={metric}
              metric={metric}
              quarters={quarters.value!}
            />
          ))}
        </Grid.Root>
      </Flex>
    );
  }

  return <TitledCard title="Before and after">{body}</TitledCard>;
}
