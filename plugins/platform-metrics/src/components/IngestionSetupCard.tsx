import { discoveryApiRef, useApi } from '@backstage/frontend-plugin-api';
import { Flex, Text } from '@backstage/ui';
import { DataTable } from './DataTable';
import { ErrorState, LoadingState } from './States';
import { TitledCard } from './TitledCard';
import { useAsyncData } from './useAsyncData';

/** Where each sender delivers, and the secrets it signs with. */
export function IngestionSetupCard() {
  const discoveryApi = useApi(discoveryApiRef);
  const base = useAsyncData(
    () => discoveryApi.getBaseUrl('platform-metrics'),
    [discoveryApi],
  );
  if (base.error) {
    return <ErrorState title="The backend URL is unknown" error={base.error} />;
  }
  if (!base.value) return <LoadingState label="Loading ingestion setup" />;
  const url = base.value;
  const rows = [
    {
      sender: 'GitHub (repository or organisation webhook)',
      url: `${url}/v1/webhooks/github`,
      setup:
        'Content type application/json; Secret = platformMetrics.webhooks.github.secret; events: "Deployment statuses". GitHub signs with X-Hub-Signature-256 and sends X-GitHub-Delivery.',
    },
    {
      sender: 'GitLab (project or group webhook)',
      url: `${url}/v1/webhooks/gitlab`,
      setup:
        'Secret token = platformMetrics.webhooks.gitlab.token (sent as X-Gitlab-Token); trigger: "Deployment events".',
    },
    {
      sender: 'PagerDuty (v3 webhook subscription)',
      url: `${url}/v1/webhooks/pagerduty`,
      setup:
        'Events: incident.triggered, incident.acknowledged, incident.resolved, incident.reopened. Put the signing secret PagerDuty shows into platformMetrics.webhooks.pagerduty.secrets (several allowed, for rotation); it is checked against X-PagerDuty-Signature.',
    },
    {
      sender: 'Alertmanager (webhook_configs)',
      url: `${url}/v1/webhooks/alertmanager`,
      setup:
        'http_config.authorization: { type: Bearer, credentials: <platformMetrics.webhooks.alertmanager.token> }, send_resolved: true.',
    },
    {
      sender: 'CDEvents (pipelines, scaffolder)',
      url: `${url}/v1/events`,
      setup:
        'POST JSON (plain, CloudEvents structured, or a batch) with Authorization: Bearer <static token>. Production deployments use environment id "production"; declare customData.goldenPath { template, version } on golden-path pipelines.',
    },
  ];
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
            { title: 'sender', value: r => r.sender },
            { title: 'URL', value: r => r.url },
            { title: 'headers and settings', value: r => r.setup },
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
