import { useApi } from '@backstage/frontend-plugin-api';
import { Card, CardBody, CardHeader, Flex, Text } from '@backstage/ui';
import { platformMetricsApiRef } from '../api';
import { ErrorState, LoadingState } from './States';
import { useAsyncData } from './useAsyncData';
import type { MetricsFilterState } from './useMetricsFilter';

/** What the numbers cannot see: events no service could be found for. */
export function DataQualityPanel({ filter }: { filter: MetricsFilterState }) {
  const api = useApi(platformMetricsApiRef);
  const key = JSON.stringify(filter.query);
  const quality = useAsyncData(
    () => api.getDataQuality(filter.query),
    [api, key],
  );

  let body;
  if (quality.error) {
    body = (
      <ErrorState
        title="Data quality could not be loaded"
        error={quality.error}
        onRetry={quality.retry}
      />
    );
  } else if (!quality.value) {
    body = <LoadingState label="Loading data quality" />;
  } else {
    const q = quality.value;
    const clean =
      q.unattributedDeployments +
        q.unattributedIncidents +
        q.servicesWithoutRequest ===
      0;
    body = (
      <Flex direction="column" gap="1">
        <Text>Unattributed deployments: {q.unattributedDeployments}</Text>
        <Text>Incidents without a service: {q.unattributedIncidents}</Text>
        <Text>
          Services deploying with no service-request record:{' '}
          {q.servicesWithoutRequest}
        </Text>
        <Text variant="body-small" color="secondary">
          For the whole period, across all teams and templates: unattributed
          events have no team to filter by.
        </Text>
        <Text variant="body-small" color="secondary">
          {clean
            ? 'Every event in this selection was attributed to a catalog service.'
            : 'Unattributed events are stored and counted here, never dropped. Add the annotation the sender uses (pagerduty.com/service-id, github.com/project-slug, gitlab.com/project-slug, backstage.io/kubernetes-id) to the service in the catalog to attribute them.'}
        </Text>
      </Flex>
    );
  }
  return (
    <Card aria-label="Data quality">
      <CardHeader>
        <Text as="h3" variant="title-x-small">
          Data quality
        </Text>
      </CardHeader>
      <CardBody>{body}</CardBody>
    </Card>
  );
}
