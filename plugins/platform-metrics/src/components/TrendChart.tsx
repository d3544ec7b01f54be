import { useApi } from '@backstage/frontend-plugin-api';
import { Flex, Select } from '@backstage/ui';
import { useState } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { platformMetricsApiRef } from '../api';
import { MetricKey, metricDefinitions } from './format';
import { trendPeriod } from './periods';
import { EmptyState, ErrorState, LoadingState, howToGetData } from './States';
import { TitledCard } from './TitledCard';
import { useAsyncData } from './useAsyncData';
import type { MetricsFilterState } from './useMetricsFilter';

type Bucket = 'month' | 'quarter';

/** The metric over the two years up to the period end, by month or quarter. */
export function TrendChart({
  metric,
  filter,
}: {
  metric: MetricKey;
  filter: MetricsFilterState;
}) {
  const api = useApi(platformMetricsApiRef);
  const [bucket, setBucket] = useState<Bucket>('month');
  const definition = metricDefinitions[metric];
  const query = { ...filter.query, ...trendPeriod(filter.query) };
  const trend = useAsyncData(
    () => api.getTrend(query, bucket),
    [api, JSON.stringify(query), bucket],
  );
  const scale = definition.unit === 'seconds' ? 3600 : 1;
  const points = (trend.value?.points ?? []).map(p => {
    const value = definition.value(p);
    return {
      period: p.period.from.slice(0, 7),
      value: value === null ? null : value / scale,
      n: definition.n(p),
    };
  });

  return (
    <TitledCard title="Trend">
      <Flex direction="column" gap="2">
        <Select
          label="Trend by"
          selectedKey={bucket}
          onSelectionChange={key => setBucket(key as Bucket)}
          options={[
            { id: 'month', label: 'Month' },
            { id: 'quarter', label: 'Quarter' },
          ]}
        />
        {trend.error && (
          <ErrorState
            title="The trend could not be loaded"
            error={trend.error}
            onRetry={trend.retry}
          />
        )}
        {!trend.error && !trend.value && <LoadingState label="Loading trend" />}
        {trend.value && points.every(p => p.value === null) && (
          <EmptyState title="No data over the last two years">
            {howToGetData}
          </EmptyState>
        )}
        {trend.value && points.some(p => p.value !== null) && (
          <div style={{ width: '100%', height: 240 }}>
            <ResponsiveContainer>
              <LineChart data={points}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="period" />
                <YAxis
                  unit={definition.unit === 'seconds' ? ' h' : ' %'}
                  width={70}
                />
                <Tooltip />
                <Line
                  isAnimationActive={false}
                  type="monotone"
                  dataKey="value"
                  name={definition.title}
                  strokeWidth={2}
                  connectNulls
                />
              </LineChart>
            </ResponsiveContainer>
          </div>
        )}
      </Flex>
    </TitledCard>
  );
}
