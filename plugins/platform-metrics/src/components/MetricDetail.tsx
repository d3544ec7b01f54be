import { useApi } from '@backstage/frontend-plugin-api';
import type {
  DeploymentItem,
  IncidentItem,
  MetricsBreakdown,
  MetricsSummary,
  ServiceRequestItem,
} from '@internal/plugin-platform-metrics-common';
import { Flex, Link, Select, Text } from '@backstage/ui';
import { useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { platformMetricsApiRef } from '../api';
import { DataColumn, DataTable } from './DataTable';
import { DataQualityPanel } from './DataQualityPanel';
import { EntityLink } from './EntityLink';
import {
  MetricKey,
  formatDuration,
  formatTimestamp,
  formatPercent,
  metricDefinitions,
} from './format';
import { trendPeriod } from './periods';
import { TitledCard } from './TitledCard';
import { EmptyState, ErrorState, LoadingState, howToGetData } from './States';
import { SurveyResultsView } from './SurveyResultsView';
import { useAsyncData } from './useAsyncData';
import type { MetricsFilterState } from './useMetricsFilter';

type Bucket = 'month' | 'quarter';

function TrendChart({
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

function Distribution({
  metric,
  summary,
}: {
  metric: MetricKey;
  summary: MetricsSummary;
}) {
  let bars: { name: string; value: number | null }[] = [];
  let unit = ' h';
  if (metric === 'leadTime') {
    bars = [
      { name: 'median', value: summary.leadTime.medianSeconds },
      { name: 'p90', value: summary.leadTime.p90Seconds },
    ].map(b => ({ ...b, value: b.value === null ? null : b.value / 3600 }));
  } else if (metric === 'mttr') {
    bars = [
      { name: 'median', value: summary.mttr.medianSeconds },
      { name: 'mean', value: summary.mttr.meanSeconds },
      { name: 'p90', value: summary.mttr.p90Seconds },
    ].map(b => ({ ...b, value: b.value === null ? null : b.value / 3600 }));
  } else if (metric === 'goldenPath') {
    unit = '';
    bars = [
      { name: 'on the path', value: summary.goldenPath.goldenDeployments },
      {
        name: 'off the path',
        value:
          summary.goldenPath.totalDeployments -
          summary.goldenPath.goldenDeployments,
      },
    ];
  }
  const linesByMetric: Record<typeof metric, string[]> = {
    leadTime: [
      `median ${formatDuration(summary.leadTime.medianSeconds)}`,
      `p90 ${formatDuration(summary.leadTime.p90Seconds)}`,
      `n ${summary.leadTime.count}`,
      `in flight ${summary.leadTime.inFlight}`,
      `observability unverified ${summary.leadTime.observabilityUnverified}`,
    ],
    mttr: [
      `median ${formatDuration(summary.mttr.medianSeconds)}`,
      `mean ${formatDuration(summary.mttr.meanSeconds)}`,
      `p90 ${formatDuration(summary.mttr.p90Seconds)}`,
      `n ${summary.mttr.count}`,
      `open ${summary.mttr.open}`,
    ],
    goldenPath: [
      `${formatPercent(summary.goldenPath.percent)} on the path`,
      `${summary.goldenPath.goldenDeployments} of ${summary.goldenPath.totalDeployments} deployments`,
    ],
    satisfaction: [],
  };
  const lines = linesByMetric[metric];

  return (
    <TitledCard title="Distribution">
      <Flex direction="column" gap="2">
        <Text>{lines.join(' · ')}</Text>
        {bars.some(b => b.value !== null && b.value > 0) ? (
          <div style={{ width: '100%', height: 200 }}>
            <ResponsiveContainer>
              <BarChart data={bars}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="name" />
                <YAxis unit={unit} width={70} />
                <Tooltip />
                <Bar dataKey="value" fill="#1f77b4" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        ) : (
          <Text color="secondary">No data in this period.</Text>
        )}
      </Flex>
    </TitledCard>
  );
}

function breakdownColumns(
  metric: 'leadTime' | 'goldenPath' | 'mttr',
  by: string,
): DataColumn<MetricsBreakdown['items'][number]>[] {
  const keyColumn: DataColumn<MetricsBreakdown['items'][number]> = {
    title: by,
    value: row => row.key ?? 'unknown',
    render: row =>
      (by === 'team' || by === 'service') && row.key ? (
        <EntityLink entityRef={row.key} />
      ) : (
        row.key ?? 'unknown'
      ),
  };
  if (metric === 'goldenPath') {
    return [
      keyColumn,
      {
        title: 'on the path (%)',
        value: r =>
          (r.value as MetricsSummary['goldenPath']).percent?.toFixed(1) ?? null,
      },
      {
        title: 'golden deployments',
        value: r => (r.value as MetricsSummary['goldenPath']).goldenDeployments,
      },
      {
        title: 'deployments',
        value: r => (r.value as MetricsSummary['goldenPath']).totalDeployments,
      },
    ];
  }
  const hours = (s: number | null) =>
    s === null ? null : (s / 3600).toFixed(2);
  if (metric === 'leadTime') {
    return [
      keyColumn,
      {
        title: 'median (h)',
        value: r =>
          hours((r.value as MetricsSummary['leadTime']).medianSeconds),
      },
      {
        title: 'p90 (h)',
        value: r => hours((r.value as MetricsSummary['leadTime']).p90Seconds),
      },
      { title: 'n', value: r => (r.value as MetricsSummary['leadTime']).count },
      {
        title: 'in flight',
        value: r => (r.value as MetricsSummary['leadTime']).inFlight,
      },
    ];
  }
  return [
    keyColumn,
    {
      title: 'median (h)',
      value: r => hours((r.value as MetricsSummary['mttr']).medianSeconds),
    },
    {
      title: 'mean (h)',
      value: r => hours((r.value as MetricsSummary['mttr']).meanSeconds),
    },
    {
      title: 'p90 (h)',
      value: r => hours((r.value as MetricsSummary['mttr']).p90Seconds),
    },
    { title: 'n', value: r => (r.value as MetricsSummary['mttr']).count },
    { title: 'open', value: r => (r.value as MetricsSummary['mttr']).open },
  ];
}

function BreakdownTable({
  metric,
  by,
  filter,
}: {
  metric: 'leadTime' | 'goldenPath' | 'mttr';
  by: 'team' | 'template' | 'service' | 'severity';
  filter: MetricsFilterState;
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
      columns={breakdownColumns(metric, by)}
      rows={data.value.items}
      rowKey={(row, i) => `${row.key ?? 'unknown'}-${i}`}
      emptyMessage="No data for this selection."
      fileName={`${metric}-by-${by}.csv`}
    />
  );
}

function serviceColumn<
  T extends { entityRef: string | null },
>(): DataColumn<T> {
  return {
    title: 'service',
    value: r => r.entityRef,
    render: r => <EntityLink entityRef={r.entityRef} />,
  };
}

function teamColumn<T extends { teamRef: string | null }>(): DataColumn<T> {
  return {
    title: 'team',
    value: r => r.teamRef,
    render: r => <EntityLink entityRef={r.teamRef} />,
  };
}

/** ISO in the CSV, minutes in UTC on screen. */
function dateColumn<T>(
  title: string,
  pick: (row: T) => string | null,
): DataColumn<T> {
  return {
    title,
    value: pick,
    render: row => formatTimestamp(pick(row)),
  };
}

function DrillDown({
  metric,
  filter,
}: {
  metric: 'leadTime' | 'goldenPath' | 'mttr';
  filter: MetricsFilterState;
}) {
  const api = useApi(platformMetricsApiRef);
  const key = JSON.stringify(filter.query);
  const data = useAsyncData(async () => {
    const q = { ...filter.query, limit: 500 };
    if (metric === 'leadTime') {
      const [ready, inFlight] = await Promise.all([
        api.listServiceRequests({ ...q, state: 'ready' }),
        api.listServiceRequests({ ...q, state: 'in-flight' }),
      ]);
      return { kind: 'leadTime' as const, ready, inFlight };
    }
    if (metric === 'goldenPath') {
      const [deployments, offPath] = await Promise.all([
        api.listDeployments(q),
        api.listOffPathServices(q),
      ]);
      return { kind: 'goldenPath' as const, deployments, offPath };
    }
    const [resolved, open] = await Promise.all([
      api.listIncidents({ ...q, state: 'resolved' }),
      api.listIncidents({ ...q, state: 'open' }),
    ]);
    return { kind: 'mttr' as const, resolved, open };
  }, [api, key, metric]);

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
  const v = data.value;
  // Incidents and off-path services carry no template of their own.
  const templateNote = filter.template && metric !== 'leadTime' && (
    <Text variant="body-small" color="secondary">
      {metric === 'mttr'
        ? 'Incident lists are not narrowed by template.'
        : 'The off-path list is not narrowed by template.'}
    </Text>
  );
  const empty = <>Nothing in this selection. {howToGetData}</>;

  if (v.kind === 'leadTime') {
    return (
      <Flex direction="column" gap="4">
        <DataTable
          title="Requests in production"
          fileName="service-requests-ready.csv"
          rows={v.ready.items}
          rowKey={r => r.id}
          emptyMessage={empty}
          columns={[
            serviceColumn(),
            teamColumn(),
            { title: 'template', value: r => r.template },
            dateColumn('requested', (r: ServiceRequestItem) => r.requestedAt),
            dateColumn('ready', (r: ServiceRequestItem) => r.readyAt),
            {
              title: 'lead time',
              value: r =>
                r.readyAt
                  ? formatDuration(
                      (Date.parse(r.readyAt) - Date.parse(r.requestedAt)) /
                        1000,
                    )
                  : null,
            },
            {
              title: 'observability',
              value: r => (r.observabilityVerified ? 'declared' : 'unverified'),
            },
          ]}
        />
        <DataTable
          title="Requests still in flight"
          fileName="service-requests-in-flight.csv"
          rows={v.inFlight.items}
          rowKey={r => r.id}
          emptyMessage="No request is waiting for its first production deployment."
          columns={[
            serviceColumn(),
            teamColumn(),
            { title: 'template', value: r => r.template },
            dateColumn('requested', (r: ServiceRequestItem) => r.requestedAt),
            { title: 'ticket', value: r => r.ticketId },
          ]}
        />
      </Flex>
    );
  }
  if (v.kind === 'goldenPath') {
    return (
      <Flex direction="column" gap="4">
        {templateNote}
        <DataTable
          title="Services deploying off the golden path"
          fileName="off-path-services.csv"
          rows={v.offPath.items}
          rowKey={(r, i) => `${r.entityRef}-${i}`}
          emptyMessage="Every production deployment in this selection followed a golden path."
          columns={[
            serviceColumn(),
            teamColumn(),
            { title: 'deployments', value: r => r.deployments },
            { title: 'reason', value: r => r.reason },
          ]}
        />
        <DataTable
          title="Production deployments"
          fileName="deployments.csv"
          rows={v.deployments.items}
          rowKey={r => r.id}
          emptyMessage={empty}
          columns={[
            serviceColumn(),
            teamColumn(),
            dateColumn('deployed', (r: DeploymentItem) => r.deployedAt),
            { title: 'outcome', value: r => r.outcome },
            {
              title: 'golden path',
              value: r =>
                r.goldenTemplate
                  ? `${r.goldenTemplate}@${r.goldenVersion ?? '?'}`
                  : 'off path',
            },
            { title: 'source', value: r => r.source },
          ]}
        />
      </Flex>
    );
  }
  const incidentColumns: DataColumn<(typeof v.resolved.items)[number]>[] = [
    serviceColumn(),
    teamColumn(),
    {
      title: 'incident',
      value: r => r.title ?? r.incidentKey,
      render: r =>
        r.url ? (
          <Link href={r.url} target="_blank">
            {r.title ?? r.incidentKey}
          </Link>
        ) : (
          r.title ?? r.incidentKey
        ),
    },
    { title: 'severity', value: r => r.severity },
    dateColumn('started', (r: IncidentItem) => r.startedAt),
    dateColumn('resolved', (r: IncidentItem) => r.resolvedAt),
    {
      title: 'time to restore',
      value: r =>
        r.resolvedAt
          ? formatDuration(
              (Date.parse(r.resolvedAt) - Date.parse(r.startedAt)) / 1000,
            )
          : null,
    },
  ];
  return (
    <Flex direction="column" gap="4">
      {templateNote}
      <DataTable
        title="Resolved incidents"
        fileName="incidents-resolved.csv"
        rows={v.resolved.items}
        rowKey={r => r.id}
        emptyMessage={empty}
        columns={incidentColumns}
      />
      <DataTable
        title="Open incidents"
        fileName="incidents-open.csv"
        rows={v.open.items}
        rowKey={r => r.id}
        emptyMessage="No incident was open at the end of the period."
        columns={incidentColumns}
      />
    </Flex>
  );
}

/** Everything behind one headline number. */
export function MetricDetail({
  metric,
  filter,
}: {
  metric: MetricKey;
  filter: MetricsFilterState;
}) {
  const api = useApi(platformMetricsApiRef);
  const definition = metricDefinitions[metric];
  const summary = useAsyncData(
    () => api.getSummary(filter.query),
    [api, JSON.stringify(filter.query)],
  );

  return (
    <Flex direction="column" gap="4">
      <Text as="h1" variant="title-medium">
        {definition.title}
      </Text>
      <TitledCard title="How this is computed">
        <Text>{definition.definition}</Text>
      </TitledCard>
      {metric === 'satisfaction' ? (
        <SurveyResultsView team={filter.team} />
      ) : (
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
          {summary.value && (
            <Distribution metric={metric} summary={summary.value} />
          )}
          <TitledCard title="Breakdown">
            <Flex direction="column" gap="4">
              <BreakdownTable metric={metric} by="team" filter={filter} />
              {metric === 'mttr' ? (
                <>
                  <BreakdownTable
                    metric={metric}
                    by="severity"
                    filter={filter}
                  />
                  <BreakdownTable
                    metric={metric}
                    by="service"
                    filter={filter}
                  />
                </>
              ) : (
                <BreakdownTable metric={metric} by="template" filter={filter} />
              )}
            </Flex>
          </TitledCard>
          <TitledCard title="Behind the number">
            <DrillDown metric={metric} filter={filter} />
          </TitledCard>
          <DataQualityPanel filter={filter} />
        </>
      )}
    </Flex>
  );
}
