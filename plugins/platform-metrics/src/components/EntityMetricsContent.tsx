import { Flex } from '@backstage/ui';
import { DataTable } from './DataTable';
import { formatDuration, formatTimestamp } from './format';
import { EmptyState, ErrorState, LoadingState, howToGetData } from './States';
import { useServiceMetrics } from './useServiceMetrics';

const duration = (from: string, to: string | null) =>
  to ? formatDuration((Date.parse(to) - Date.parse(from)) / 1000) : null;

/** The full history of one service: requests, deployments and incidents. */
export function EntityMetricsContent() {
  const data = useServiceMetrics();
  if (data.error) {
    return (
      <ErrorState
        title="Delivery metrics could not be loaded"
        error={data.error}
        onRetry={data.retry}
      />
    );
  }
  if (!data.value) return <LoadingState label="Loading delivery metrics" />;
  const v = data.value;
  if (!v.hasData) {
    return (
      <EmptyState title="No delivery data for this service yet">
        {howToGetData} Events are matched to this service by its entity ref or
        its pagerduty.com/service-id, github.com/project-slug,
        gitlab.com/project-slug or backstage.io/kubernetes-id annotation.
      </EmptyState>
    );
  }
  return (
    <Flex direction="column" gap="4">
      <DataTable
        title="Service requests"
        fileName="service-requests.csv"
        rows={v.requests}
        rowKey={r => r.id}
        emptyMessage="No service request was recorded for this service."
        columns={[
          {
            title: 'requested',
            value: r => r.requestedAt,
            render: r => formatTimestamp(r.requestedAt),
          },
          {
            title: 'ready',
            value: r => r.readyAt,
            render: r => formatTimestamp(r.readyAt),
          },
          {
            title: 'lead time',
            value: r => duration(r.requestedAt, r.readyAt),
          },
          { title: 'template', value: r => r.template },
          { title: 'version', value: r => r.templateVersion },
        ]}
      />
      <DataTable
        title="Deployments"
        fileName="deployments.csv"
        rows={v.deployments}
        rowKey={r => r.id}
        emptyMessage="No deployments recorded."
        columns={[
          {
            title: 'deployed',
            value: r => r.deployedAt,
            render: r => formatTimestamp(r.deployedAt),
          },
          { title: 'environment', value: r => r.environment },
          { title: 'outcome', value: r => r.outcome },
          {
            title: 'golden path',
            value: r =>
              r.goldenTemplate
                ? `${r.goldenTemplate}@${r.goldenVersion ?? '?'}`
                : 'off path',
          },
        ]}
      />
      <DataTable
        title="Incidents"
        fileName="incidents.csv"
        rows={v.incidents}
        rowKey={r => r.id}
        emptyMessage="No incidents recorded."
        columns={[
          { title: 'incident', value: r => r.title ?? r.incidentKey },
          { title: 'severity', value: r => r.severity },
          {
            title: 'started',
            value: r => r.startedAt,
            render: r => formatTimestamp(r.startedAt),
          },
          {
            title: 'resolved',
            value: r => r.resolvedAt,
            render: r => formatTimestamp(r.resolvedAt),
          },
          {
            title: 'time to restore',
            value: r => duration(r.startedAt, r.resolvedAt),
          },
        ]}
      />
    </Flex>
  );
}
