import { InfoCard } from '@backstage/core-components';
import { Flex, Text } from '@backstage/ui';
import { formatDuration } from './format';
import { ErrorState, LoadingState } from './States';
import { useServiceMetrics } from './useServiceMetrics';

/**
 * Lead time, golden-path status and MTTR of one service. Renders nothing for a
 * service the metrics have never seen, so pages without data stay uncluttered.
 */
export function EntityMetricsCard() {
  const data = useServiceMetrics();
  if (data.error) {
    return (
      <InfoCard title="Delivery metrics">
        <ErrorState
          title="Delivery metrics could not be loaded"
          error={data.error}
          onRetry={data.retry}
        />
      </InfoCard>
    );
  }
  if (!data.value) {
    return (
      <InfoCard title="Delivery metrics">
        <LoadingState label="Loading delivery metrics" />
      </InfoCard>
    );
  }
  const v = data.value;
  if (!v.hasData) return null;

  const request = v.requests[0];
  // Newest first, as the API lists them.
  const production = v.deployments.filter(d => d.environment === 'production');
  const latest = production[0];
  const onPath = production.filter(d => d.goldenTemplate).length;

  let leadTimeText = 'no request record';
  if (request) {
    leadTimeText = request.readyAt
      ? formatDuration(
          (Date.parse(request.readyAt) - Date.parse(request.requestedAt)) /
            1000,
        )
      : 'still in flight';
  }

  let latestDeploymentText = 'no deployments yet';
  if (latest) {
    latestDeploymentText = latest.goldenTemplate
      ? `${latest.goldenTemplate} ${latest.goldenVersion ?? ''}`
      : 'latest deployment is off the path';
  }

  return (
    <InfoCard title="Delivery metrics" subheader="Last 24 months">
      <Flex direction="column" gap="2">
        <Text>
          <strong>Lead time</strong> (requested → ready): {leadTimeText}
        </Text>
        <Text>
          <strong>Golden path</strong>:{' '}
          {request?.template &&
            `created from ${request.template} ${
              request.templateVersion ?? ''
            } · `}
          {latestDeploymentText}
          {production.length > 0 &&
            ` · ${onPath} of ${production.length} production deployments on the path`}
          {v.offPath && ` · off-path reason: ${v.offPath.reason}`}
        </Text>
        <Text>
          <strong>MTTR</strong> (median):{' '}
          {v.mttr ? formatDuration(v.mttr.medianSeconds) : '–'} (n ={' '}
          {v.mttr?.count ?? 0})
        </Text>
        {v.incidents.slice(0, 3).map(incident => (
          <Text key={incident.id} variant="body-small" color="secondary">
            {incident.startedAt.slice(0, 10)} · {incident.severity ?? '?'} ·{' '}
            {incident.title ?? incident.incidentKey} ·{' '}
            {incident.resolvedAt
              ? `restored in ${formatDuration(
                  (Date.parse(incident.resolvedAt) -
                    Date.parse(incident.startedAt)) /
                    1000,
                )}`
              : 'open'}
          </Text>
        ))}
      </Flex>
    </InfoCard>
  );
}
