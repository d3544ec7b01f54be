import { discoveryApiRef, useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  platformMetricsAdminPermission,
  type BaselineImportResult,
  type BaselineKind,
  type SurveyCampaign,
  type SurveyQuestion,
} from '@internal/plugin-platform-metrics-common';
import {
  Alert,
  Button,
  Flex,
  Select,
  Text,
  TextAreaField,
  TextField,
} from '@backstage/ui';
import { useState } from 'react';
import { platformMetricsApiRef } from '../api';
import { DataTable } from './DataTable';
import { TitledCard } from './TitledCard';
import { EmptyState, ErrorState, LoadingState } from './States';
import { useAsyncData } from './useAsyncData';

const questionsToText = (questions: SurveyQuestion[]) =>
  questions.map(q => `${q.id} | ${q.kind} | ${q.text}`).join('\n');

/** One question per line: `id | satisfaction|driver | text`. */
export function parseQuestions(text: string): SurveyQuestion[] {
  return text
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)
    .map((line, i) => {
      const [id, kind, ...rest] = line.split('|').map(p => p.trim());
      if (
        !id ||
        (kind !== 'satisfaction' && kind !== 'driver') ||
        !rest.length
      ) {
        throw new Error(
          `Line ${
            i + 1
          }: expected "id | satisfaction or driver | question text"`,
        );
      }
      return { id, kind, text: rest.join('|').trim() };
    });
}

function CampaignEditor({
  campaign,
  onSaved,
}: {
  campaign: SurveyCampaign;
  onSaved(): void;
}) {
  const api = useApi(platformMetricsApiRef);
  const [title, setTitle] = useState(campaign.title);
  const [questions, setQuestions] = useState(
    questionsToText(campaign.questions),
  );
  const [error, setError] = useState<Error>();
  const run = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      onSaved();
    } catch (e) {
      setError(e as Error);
    }
  };
  const draft = campaign.status === 'draft';
  return (
    <Flex direction="column" gap="2">
      <Text weight="bold">
        {campaign.title} ({campaign.quarter}, {campaign.status})
      </Text>
      {draft && (
        <>
          <TextField label="Title" value={title} onChange={setTitle} />
          <TextAreaField
            label="Questions (one a line: id | satisfaction or driver | text)"
            value={questions}
            onChange={setQuestions}
          />
        </>
      )}
      {!draft && (
        <Text variant="body-small" color="secondary">
          Questions can be edited only while a campaign is a draft, so that
          every answer in a campaign refers to the same wording.
        </Text>
      )}
      {error && (
        <ErrorState title="The campaign was not changed" error={error} />
      )}
      <Flex gap="2">
        {draft && (
          <Button
            size="small"
            variant="secondary"
            onPress={() =>
              run(() =>
                api.updateCampaign(campaign.id, {
                  title,
                  questions: parseQuestions(questions),
                }),
              )
            }
          >
            Save
          </Button>
        )}
        {draft && (
          <Button
            size="small"
            onPress={() => run(() => api.openCampaign(campaign.id))}
          >
            Open
          </Button>
        )}
        {campaign.status === 'open' && (
          <Button
            size="small"
            variant="secondary"
            onPress={() => run(() => api.closeCampaign(campaign.id))}
          >
            Close
          </Button>
        )}
      </Flex>
    </Flex>
  );
}

function Campaigns() {
  const api = useApi(platformMetricsApiRef);
  const campaigns = useAsyncData(() => api.listCampaigns(), [api]);
  const [newTitle, setNewTitle] = useState('');
  const [createError, setCreateError] = useState<Error>();

  let list;
  if (campaigns.error) {
    list = (
      <ErrorState
        title="Campaigns could not be loaded"
        error={campaigns.error}
        onRetry={campaigns.retry}
      />
    );
  } else if (!campaigns.value) {
    list = <LoadingState label="Loading campaigns" />;
  } else if (campaigns.value.items.length === 0) {
    list = (
      <EmptyState title="No campaigns yet">
        Create the first one below; it starts as a draft with the default
        questions, which you can edit before opening it.
      </EmptyState>
    );
  } else {
    list = campaigns.value.items
      .slice()
      .reverse()
      .map(c => (
        <CampaignEditor key={c.id} campaign={c} onSaved={campaigns.retry} />
      ));
  }
  return (
    <TitledCard title="Survey campaigns">
      <Flex direction="column" gap="4">
        {list}
        <Flex gap="2" align="end">
          <TextField
            label="New campaign title"
            value={newTitle}
            onChange={setNewTitle}
          />
          <Button
            size="small"
            isDisabled={!newTitle.trim()}
            onPress={async () => {
              setCreateError(undefined);
              try {
                await api.createCampaign({ title: newTitle.trim() });
                setNewTitle('');
                campaigns.retry();
              } catch (e) {
                setCreateError(e as Error);
              }
            }}
          >
            Create draft
          </Button>
        </Flex>
        {createError && (
          <ErrorState
            title="The campaign was not created"
            error={createError}
          />
        )}
      </Flex>
    </TitledCard>
  );
}

const BASELINE_COLUMNS: Record<BaselineKind, string> = {
  'service-requests':
    'requested_at,in_production_at,team,ticket_id,service (ticket_id and service optional)',
  incidents:
    'started_at,resolved_at,team,ticket_id,service,severity (last three optional)',
};

function BaselineImport() {
  const api = useApi(platformMetricsApiRef);
  const [kind, setKind] = useState<BaselineKind>('service-requests');
  const [csv, setCsv] = useState('');
  const [result, setResult] = useState<BaselineImportResult>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const send = async (dryRun: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api.importBaseline({ kind, dryRun, body: csv }));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const previewColumns = Object.keys(result?.preview[0] ?? {}).map(key => ({
    title: key,
    value: (row: Record<string, string | null>) => row[key],
  }));

  return (
    <TitledCard title="Baseline import">
      <Flex direction="column" gap="3">
        <Text>
          Import the ticket era so the dashboard can compare before with after.
          Columns: <code>{BASELINE_COLUMNS[kind]}</code>. Importing the same
          file twice stores nothing new.
        </Text>
        <Select
          label="Kind"
          selectedKey={kind}
          onSelectionChange={k => {
            setKind(k as BaselineKind);
            setResult(undefined);
          }}
          options={[
            { id: 'service-requests', label: 'Service requests' },
            { id: 'incidents', label: 'Incidents' },
          ]}
        />
        <TextAreaField
          label="CSV"
          value={csv}
          onChange={v => {
            setCsv(v);
            setResult(undefined);
          }}
        />
        <input
          type="file"
          accept=".csv,text/csv"
          aria-label="CSV file"
          onChange={async e => {
            const file = e.target.files?.[0];
            if (file) {
              setCsv(await file.text());
              setResult(undefined);
            }
          }}
        />
        <Flex gap="2">
          <Button
            variant="secondary"
            isDisabled={!csv.trim() || busy}
            onPress={() => send(true)}
          >
            Preview
          </Button>
          <Button
            isDisabled={!result?.dryRun || result.valid === 0 || busy}
            onPress={() => send(false)}
          >
            Import {result?.dryRun ? `${result.valid} valid rows` : ''}
          </Button>
        </Flex>
        {error && <ErrorState title="The import failed" error={error} />}
        {result && !result.dryRun && (
          <Alert
            status="success"
            title={`Imported: ${result.stored} stored, ${result.duplicates} already present`}
          />
        )}
        {result && (
          <Text>
            {result.rows} rows, {result.valid} valid, {result.errors.length}{' '}
            errors
          </Text>
        )}
        {result && result.errors.length > 0 && (
          <DataTable
            title="Rows with errors"
            fileName="baseline-errors.csv"
            rows={result.errors}
            rowKey={(e, i) => `${e.row}-${e.field}-${i}`}
            emptyMessage="No errors."
            columns={[
              { title: 'row', value: e => e.row },
              { title: 'field', value: e => e.field },
              { title: 'problem', value: e => e.message },
            ]}
          />
        )}
        {result?.dryRun && result.preview.length > 0 && (
          <DataTable
            title="Preview of what will be imported"
            fileName="baseline-preview.csv"
            rows={result.preview}
            rowKey={(_, i) => String(i)}
            emptyMessage="No valid rows."
            columns={previewColumns}
          />
        )}
      </Flex>
    </TitledCard>
  );
}

function IngestionSetup() {
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

/** Campaigns, baseline import and ingestion setup: the platform team only. */
export function AdminPage() {
  const { loading, allowed, error } = usePermission({
    permission: platformMetricsAdminPermission,
  });
  if (loading) return <LoadingState label="Checking permissions" />;
  if (error) {
    return (
      <ErrorState title="Permissions could not be checked" error={error} />
    );
  }
  if (!allowed) {
    return (
      <Alert
        status="warning"
        icon
        title="Platform team only"
        description="Survey campaigns, baseline imports and ingestion setup are for the platform team (permission platform-metrics.admin). Ask the platform team if you need something changed."
      />
    );
  }
  return (
    <Flex direction="column" gap="4">
      <Campaigns />
      <BaselineImport />
      <IngestionSetup />
    </Flex>
  );
}
