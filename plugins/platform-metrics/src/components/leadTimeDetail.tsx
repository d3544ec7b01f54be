import type {
  BreakdownDimension,
  MetricsSummary,
  ServiceRequestItem,
} from '@internal/plugin-platform-metrics-common';
import { Flex } from '@backstage/ui';
import { BreakdownColumn, BreakdownTable } from './BreakdownTable';
import {
  dateColumn,
  durationColumn,
  hoursColumn,
  serviceColumn,
  teamColumn,
} from './columns';
import { DataTable } from './DataTable';
import { DistributionCard } from './DistributionCard';
import { DrillDownData } from './DrillDownData';
import { formatDuration, toHours } from './format';
import type { EventMetricDetail } from './metricDetails';
import { nothingInSelection } from './States';
import type { MetricsFilterState } from './useMetricsFilter';

function LeadTimeDistribution({ summary }: { summary: MetricsSummary }) {
  const { leadTime } = summary;
  return (
    <DistributionCard
      lines={[
        `median ${formatDuration(leadTime.medianSeconds)}`,
        `p90 ${formatDuration(leadTime.p90Seconds)}`,
        `n ${leadTime.count}`,
        `in flight ${leadTime.inFlight}`,
        `observability unverified ${leadTime.observabilityUnverified}`,
      ]}
      bars={[
        { name: 'median', value: toHours(leadTime.medianSeconds) },
        { name: 'p90', value: toHours(leadTime.p90Seconds) },
      ]}
      unit=" h"
    />
  );
}

const breakdownColumns: BreakdownColumn<'leadTime'>[] = [
  hoursColumn('median (h)', r => r.value.medianSeconds),
  hoursColumn('p90 (h)', r => r.value.p90Seconds),
  { title: 'n', value: r => r.value.count },
  { title: 'in flight', value: r => r.value.inFlight },
];

function LeadTimeBreakdown(props: {
  by: BreakdownDimension;
  filter: MetricsFilterState;
}) {
  return (
    <BreakdownTable metric="leadTime" columns={breakdownColumns} {...props} />
  );
}

function LeadTimeDrillDown({ filter }: { filter: MetricsFilterState }) {
  return (
    <DrillDownData
      filter={filter}
      load={(api, query) =>
        Promise.all([
          api.listServiceRequests({ ...query, state: 'ready' }),
          api.listServiceRequests({ ...query, state: 'in-flight' }),
        ])
      }
    >
      {([ready, inFlight]) => (
        <Flex direction="column" gap="4">
          <DataTable
            title="Requests in production"
            fileName="service-requests-ready.csv"
            rows={ready.items}
            rowKey={r => r.id}
            emptyMessage={nothingInSelection}
            columns={[
              serviceColumn(),
              teamColumn(),
              { title: 'template', value: r => r.template },
              dateColumn('requested', (r: ServiceRequestItem) => r.requestedAt),
              dateColumn('ready', (r: ServiceRequestItem) => r.readyAt),
              durationColumn(
                'lead time',
                (r: ServiceRequestItem) => r.requestedAt,
                r => r.readyAt,
              ),
              {
                title: 'observability',
                value: r =>
                  r.observabilityVerified ? 'declared' : 'unverified',
              },
            ]}
          />
          <DataTable
            title="Requests still in flight"
            fileName="service-requests-in-flight.csv"
            rows={inFlight.items}
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
      )}
    </DrillDownData>
  );
}

/** Lead time: its percentiles, breakdowns by team and template, and the requests behind it. */
export const leadTimeDetail: EventMetricDetail = {
  kind: 'events',
  Distribution: LeadTimeDistribution,
  breakdownDimensions: ['team', 'template'],
  Breakdown: LeadTimeBreakdown,
  DrillDown: LeadTimeDrillDown,
};
