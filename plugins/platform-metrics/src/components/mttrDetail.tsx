import type {
  BreakdownDimension,
  IncidentItem,
  MetricsSummary,
} from '@internal/plugin-platform-metrics-common';
import { Flex, Link, Text } from '@backstage/ui';
import { BreakdownColumn, BreakdownTable } from './BreakdownTable';
import {
  dateColumn,
  durationColumn,
  hoursColumn,
  serviceColumn,
  teamColumn,
} from './columns';
import { DataColumn, DataTable } from './DataTable';
import { DistributionCard } from './DistributionCard';
import { DrillDownData } from './DrillDownData';
import { formatDuration, toHours } from './format';
import type { EventMetricDetail } from './metricDetails';
import { nothingInSelection } from './States';
import type { MetricsFilterState } from './useMetricsFilter';

function MttrDistribution({ summary }: { summary: MetricsSummary }) {
  const { mttr } = summary;
  return (
    <DistributionCard
      lines={[
        `median ${formatDuration(mttr.medianSeconds)}`,
        `mean ${formatDuration(mttr.meanSeconds)}`,
        `p90 ${formatDuration(mttr.p90Seconds)}`,
        `n ${mttr.count}`,
        `open ${mttr.open}`,
      ]}
      bars={[
        { name: 'median', value: toHours(mttr.medianSeconds) },
        { name: 'mean', value: toHours(mttr.meanSeconds) },
        { name: 'p90', value: toHours(mttr.p90Seconds) },
      ]}
      unit=" h"
    />
  );
}

const breakdownColumns: BreakdownColumn<'mttr'>[] = [
  hoursColumn('median (h)', r => r.value.medianSeconds),
  hoursColumn('mean (h)', r => r.value.meanSeconds),
  hoursColumn('p90 (h)', r => r.value.p90Seconds),
  { title: 'n', value: r => r.value.count },
  { title: 'open', value: r => r.value.open },
];

function MttrBreakdown(props: {
  by: BreakdownDimension;
  filter: MetricsFilterState;
}) {
  return <BreakdownTable metric="mttr" columns={breakdownColumns} {...props} />;
}

const incidentColumns: DataColumn<IncidentItem>[] = [
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
  dateColumn('started', r => r.startedAt),
  dateColumn('resolved', r => r.resolvedAt),
  durationColumn(
    'time to restore',
    r => r.startedAt,
    r => r.resolvedAt,
  ),
];

function MttrDrillDown({ filter }: { filter: MetricsFilterState }) {
  return (
    <DrillDownData
      filter={filter}
      load={(api, query) =>
        Promise.all([
          api.listIncidents({ ...query, state: 'resolved' }),
          api.listIncidents({ ...query, state: 'open' }),
        ])
      }
    >
      {([resolved, open]) => (
        <Flex direction="column" gap="4">
          {/* Incidents carry no template of their own. */}
          {filter.template && (
            <Text variant="body-small" color="secondary">
              Incident lists are not narrowed by template.
            </Text>
          )}
          <DataTable
            title="Resolved incidents"
            fileName="incidents-resolved.csv"
            rows={resolved.items}
            rowKey={r => r.id}
            emptyMessage={nothingInSelection}
            columns={incidentColumns}
          />
          <DataTable
            title="Open incidents"
            fileName="incidents-open.csv"
            rows={open.items}
            rowKey={r => r.id}
            emptyMessage="No incident was open at the end of the period."
            columns={incidentColumns}
          />
        </Flex>
      )}
    </DrillDownData>
  );
}

/** Time to restore: its spread, breakdowns by team, severity and service, and the incidents behind it. */
export const mttrDetail: EventMetricDetail = {
  kind: 'events',
  Distribution: MttrDistribution,
  breakdownDimensions: ['team', 'severity', 'service'],
  Breakdown: MttrBreakdown,
  DrillDown: MttrDrillDown,
};
