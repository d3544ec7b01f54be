import type {
  BreakdownDimension,
  DeploymentItem,
  MetricsSummary,
} from '@internal/plugin-platform-metrics-common';
import { Flex, Text } from '@backstage/ui';
import { BreakdownColumn, BreakdownTable } from './BreakdownTable';
import { dateColumn, serviceColumn, teamColumn } from './columns';
import { DataTable } from './DataTable';
import { DistributionCard } from './DistributionCard';
import { DrillDownData } from './DrillDownData';
import { formatPercent } from './format';
import type { EventMetricDetail } from './metricDetails';
import { nothingInSelection } from './States';
import type { MetricsFilterState } from './useMetricsFilter';

function GoldenPathDistribution({ summary }: { summary: MetricsSummary }) {
  const { goldenPath } = summary;
  return (
    <DistributionCard
      lines={[
        `${formatPercent(goldenPath.percent)} on the path`,
        `${goldenPath.goldenDeployments} of ${goldenPath.totalDeployments} deployments`,
        // Absent when the backend cannot read the released versions.
        ...(goldenPath.supportedPercent === undefined
          ? []
          : [
              `${formatPercent(goldenPath.supportedPercent)} of them (${
                goldenPath.supportedDeployments ?? 0
              }) from a supported version`,
            ]),
      ]}
      bars={[
        { name: 'on the path', value: goldenPath.goldenDeployments },
        {
          name: 'off the path',
          value: goldenPath.totalDeployments - goldenPath.goldenDeployments,
        },
      ]}
      unit=""
    />
  );
}

const breakdownColumns: BreakdownColumn<'goldenPath'>[] = [
  {
    title: 'on the path (%)',
    value: r => r.value.percent?.toFixed(1) ?? null,
  },
  { title: 'golden deployments', value: r => r.value.goldenDeployments },
  { title: 'deployments', value: r => r.value.totalDeployments },
];

function GoldenPathBreakdown(props: {
  by: BreakdownDimension;
  filter: MetricsFilterState;
}) {
  return (
    <BreakdownTable metric="goldenPath" columns={breakdownColumns} {...props} />
  );
}

function GoldenPathDrillDown({ filter }: { filter: MetricsFilterState }) {
  return (
    <DrillDownData
      filter={filter}
      load={(api, query) =>
        Promise.all([
          api.listDeployments(query),
          api.listOffPathServices(query),
        ])
      }
    >
      {([deployments, offPath]) => (
        <Flex direction="column" gap="4">
          {/* Off-path services carry no template of their own. */}
          {filter.template && (
            <Text variant="body-small" color="secondary">
              The off-path list is not narrowed by template.
            </Text>
          )}
          <DataTable
            title="Services deploying off the golden path"
            fileName="off-path-services.csv"
            rows={offPath.items}
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
            rows={deployments.items}
            rowKey={r => r.id}
            emptyMessage={nothingInSelection}
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
      )}
    </DrillDownData>
  );
}

/** Golden-path adoption: on and off the path, breakdowns by team and template, and the deployments behind it. */
export const goldenPathDetail: EventMetricDetail = {
  kind: 'events',
  Distribution: GoldenPathDistribution,
  breakdownDimensions: ['team', 'template'],
  Breakdown: GoldenPathBreakdown,
  DrillDown: GoldenPathDrillDown,
};
