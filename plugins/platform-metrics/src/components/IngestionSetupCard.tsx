import { discoveryApiRef, useApi } from '@backstage/frontend-plugin-api';
import type { IngestionSourceInfo } from '@internal/plugin-platform-metrics-common';
import { Flex, Text } from '@backstage/ui';
import { platformMetricsApiRef } from '../api';
import { DataTable } from './DataTable';
import { ErrorState, LoadingState } from './States';
import { TitledCard } from './TitledCard';
import { useAsyncData } from './useAsyncData';

const AUTHENTICATION: Record<IngestionSourceInfo['authentication'], string> = {
  backstage: 'Backstage token',
  signature: 'signature over the body',
  token: 'shared token',
};

/**
 * Where each sender delivers, and the secrets it signs with: the CDEvents API
 * and every ingestion source the backend has registered, modules' included.
 */
export function IngestionSetupCard() {
  const discoveryApi = useApi(discoveryApiRef);
  const metricsApi = useApi(platformMetricsApiRef);
  const endpoints = useAsyncData(async () => {
    const [baseUrl, sources] = await Promise.all([
      discoveryApi.getBaseUrl('platform-metrics'),
      metricsApi.listIngestionSources(),
    ]);
    return sources.items.map(source => ({
      ...source,
      url: `${baseUrl}${source.path}`,
    }));
  }, [discoveryApi, metricsApi]);
  if (endpoints.error) {
    return (
      <ErrorState
        title="The ingestion endpoints could not be loaded"
        error={endpoints.error}
        onRetry={endpoints.retry}
      />
    );
  }
  if (!endpoints.value) return <LoadingState label="Loading ingestion setup" />;
  const rows = endpoints.value;
  return (
    <TitledCard title="Ingestion setup">
      <Flex direction="column" gap="3">
        <DataTable
          title="Webhook endpoints"
          fileName="ingestion-endpoints.csv"
          rows={rows}
          rowKey={r => r.url}
          emptyMessage="No endpoints."
          columns={[
            { title: 'sender', value: r => r.displayName },
            { title: 'URL', value: r => r.url },
            {
              title: 'authentication',
              value: r => AUTHENTICATION[r.authentication],
            },
            { title: 'headers and settings', value: r => r.setup },
            {
              title: 'attributed by',
              value: r => r.attributionAnnotations.join(', '),
            },
          ]}
        />
        <Text as="h3" variant="title-x-small">
          Creating a token for CDEvents
        </Text>
        <Text as="div">
          Generate a random secret (for example{' '}
          <code>openssl rand -hex 32</code>
          ), store it in your secret manager, and add it to the backend
          configuration as a static external-access token:
          <pre>{`backend:
  auth:
    externalAccess:
      - type: static
        options:
          token: \${PLATFORM_METRICS_PIPELINE_TOKEN}
          subject: ci-pipelines
        accessRestrictions:
          - plugin: platform-metrics`}</pre>
          Pipelines then send <code>Authorization: Bearer &lt;token&gt;</code>.
          Webhook secrets go under <code>platformMetrics.webhooks</code>; a
          webhook whose secret is not configured answers 404.
        </Text>
      </Flex>
    </TitledCard>
  );
}
