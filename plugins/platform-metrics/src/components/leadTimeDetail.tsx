import type {
  BreakdownDimension,
  LeadTimeSummary,
  MetricsSummary,
  ServiceRequestItem,
  UnverifiedServiceItem,
} from '@internal/plugin-platform-metrics-common';
import { Flex, Text } from '@backstage/ui';
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
import { formatDuration, formatPercent, toHours } from './format';
import {
  checkName,
  checkStatusText,
  unverifiedSince,
} from './goldenPathChecklist';
import type { EventMetricDetail } from './metricDetails';
import { nothingInSelection } from './States';
import { TitledCard } from './TitledCard';
import type { MetricsFilterState } from './useMetricsFilter';

/** How the period's lead times ended: verified by live checks, or at deployment on declarations only. */
function LeadTimeEndings({ leadTime }: { leadTime: LeadTimeSummary }) {
  const { verified = 0, declaredOnly = 0, count } = leadTime;
  if (verified + declaredOnly === 0) {
    return (
      <Text>
        {count === 0
          ? 'No request reached production in this period, so no lead time ended, verified or not.'
          : 'Live checks are not configured in this portal: every lead time ends at the first production deployment, on what the golden path declares, without verifying it in production.'}
      </Text>
    );
  }
  return (
    <Flex direction="column" gap="1">
      <Text>
        verified {verified} ({formatPercent((verified / count) * 100)}) ·
        declared only {declaredOnly} (
        {formatPercent((declaredOnly / count) * 100)})
      </Text>
      <Text variant="body-small" color="secondary">
        Verified: ended when the service&apos;s live checks first all passed
        after its first production deployment. Declared only: ended at the first
        production deployment, without live checks.
      </Text>
      {verified === 0 && (
        <Text variant="body-small" color="secondary">
          No lead time in this period was ended by live checks: they are not
          configured, or do not cover these services.
        </Text>
      )}
    </Flex>
  );
}

function LeadTimeDistribution({ summary }: { summary: MetricsSummary }) {
  const { leadTime } = summary;
  return (
    <>
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
      <TitledCard title="Verified or declared">
        <LeadTimeEndings leadTime={leadTime} />
      </TitledCard>
    </>
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

const unverifiedColumns: DataColumn<UnverifiedServiceItem>[] = [
  serviceColumn(),
  teamColumn(),
  {
    title: 'failing checks',
    value: r =>
      r.failing
        // A failing check without `since` has never run.
        .map(f => `${checkName(f.id)}: ${checkStatusText(f.status, f.since)}`)
        .join('; '),
  },
  dateColumn('since', unverifiedSince),
  dateColumn('first production deployment', r => r.firstProductionDeploymentAt),
];

/**
 * Loaded on its own: it is the checks' state now, with no period or template,
 * and a failure of the checks must not hide the requests.
 */
function UnverifiedServices({ filter }: { filter: MetricsFilterState }) {
  return (
    <DrillDownData
      filter={filter}
      load={(api, query) => api.listUnverifiedServices({ team: query.team })}
    >
      {unverified => (
        <Flex direction="column" gap="2">
          <DataTable
            title="In production without observability"
            fileName="services-without-observability.csv"
            rows={unverified.items}
            rowKey={r => r.entityRef}
            emptyMessage="Every service in production passes its required checks, or no live check is configured."
            columns={unverifiedColumns}
          />
          <Text variant="body-small" color="secondary">
            Services as they stand now, whatever the period
            {filter.template && ' and template'}.
          </Text>
        </Flex>
      )}
    </DrillDownData>
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
          <UnverifiedServices filter={filter} />
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
