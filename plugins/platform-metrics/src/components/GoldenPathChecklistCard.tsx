import type { Entity } from '@backstage/catalog-model';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  platformMetricsChecksRunPermission,
  type ServiceCheckResult,
  type ServiceChecksResponse,
} from '@internal/plugin-platform-metrics-common';
import {
  Alert,
  Button,
  Cell,
  Column,
  Flex,
  Link,
  Row,
  TableBody,
  TableHeader,
  TableRoot,
  Text,
} from '@backstage/ui';
import { useState } from 'react';
import { platformMetricsApiRef } from '../api';
import { techdocsDocRootRouteRef } from '../routes';
import {
  type ChecklistRow,
  checkFixDoc,
  checkStatusText,
  goldenPathChecklist,
  resultFor,
} from './goldenPathChecklist';
import { RelativeTime } from './RelativeTime';
import { ErrorState, LoadingState } from './States';
import { TitledCard } from './TitledCard';
import { useAsyncData } from './useAsyncData';

const TITLE = 'Golden path checklist';

/**
 * Whether the golden path's promises hold in production for this service, as
 * the portal's live checks last saw them, and where to read how to fix them.
 */
export function GoldenPathChecklistCard() {
  const { entity } = useEntity();
  const api = useApi(platformMetricsApiRef);
  const target = {
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  };
  const loaded = useAsyncData(
    () => api.getServiceChecks(target),
    [api, target.namespace, target.name],
  );
  const service = `${target.namespace}/${target.name}`;
  const [run, setRun] = useState<{
    service: string;
    running: boolean;
    error?: Error;
    result?: ServiceChecksResponse;
  }>({ service, running: false });

  const checkNow = async () => {
    setRun(previous => ({
      service,
      running: true,
      result: previous.service === service ? previous.result : undefined,
    }));
    try {
      const result = await api.runServiceChecks(target);
      setRun({ service, running: false, result });
    } catch (error) {
      setRun(previous => ({
        ...previous,
        running: false,
        error: error as Error,
      }));
    }
  };

  // A run answers with newer results than the load did, for the service it ran on.
  const ownRun =
    run.service === service
      ? run
      : { running: false, result: undefined, error: undefined };
  const shown = ownRun.result ?? loaded.value;
  let body;
  if (loaded.error && !shown) {
    body = (
      <ErrorState
        title="The checks could not be loaded"
        error={loaded.error}
        onRetry={loaded.retry}
      />
    );
  } else if (!shown) {
    body = <LoadingState label="Loading the checklist" />;
  } else {
    body = <Checklist entity={entity} response={shown} />;
  }

  return (
    <TitledCard title={TITLE}>
      <Flex direction="column" gap="3">
        <Flex justify="between" align="center">
          <VerifiedLine response={shown} />
          <CheckNowButton running={ownRun.running} onPress={checkNow} />
        </Flex>
        {ownRun.running && (
          <Text role="status" color="secondary">
            Running the checks against production…
          </Text>
        )}
        {ownRun.error && (
          <ErrorState
            title="The checks could not be run"
            error={ownRun.error}
          />
        )}
        {body}
      </Flex>
    </TitledCard>
  );
}

/** Shown only to those allowed to re-run the checks: the service's owners and the platform team. */
function CheckNowButton({
  running,
  onPress,
}: {
  running: boolean;
  onPress(): void;
}) {
  const { allowed } = usePermission({
    permission: platformMetricsChecksRunPermission,
  });
  if (!allowed) return null;
  return (
    <Button
      size="small"
      variant="secondary"
      isPending={running}
      onPress={onPress}
    >
      Check now
    </Button>
  );
}

function VerifiedLine({ response }: { response?: ServiceChecksResponse }) {
  if (!response) return <span />;
  if (!response.verifiedAt) {
    return <Text weight="bold">Not verified yet</Text>;
  }
  return (
    <Text weight="bold">
      Verified <RelativeTime iso={response.verifiedAt} />
    </Text>
  );
}

function Checklist({
  entity,
  response,
}: {
  entity: Entity;
  response: ServiceChecksResponse;
}) {
  const results = goldenPathChecklist.map(row => ({
    row,
    result: resultFor(response.checks, row.id),
  }));
  const notConfigured = results.every(
    r => r.result.status === 'not-configured',
  );
  const neverChecked = results.every(
    r => r.result.status === 'unknown' && !r.result.lastCheckedAt,
  );
  return (
    <Flex direction="column" gap="2">
      {notConfigured && (
        <Alert
          status="info"
          icon
          title="Live checks are not configured in this portal"
          description="The platform team points the checks at Prometheus, a logs backend and a DNS resolver in the platform-metrics backend's configuration. Until then nothing here is verified, and lead time ends at the first production deployment."
        />
      )}
      {neverChecked && (
        <Alert
          status="info"
          icon
          title="Not checked yet"
          description="The checks run on a schedule; the first results appear after the next run."
        />
      )}
      <TableRoot aria-label={TITLE}>
        <TableHeader>
          <Column isRowHeader>promise</Column>
          <Column>status</Column>
          <Column>since</Column>
          <Column>last check</Column>
          <Column>details</Column>
        </TableHeader>
        <TableBody>
          {results.map(({ row, result }) => (
            <Row key={row.id} id={row.id}>
              <Cell>
                {row.promise}
                {row.label && (
                  <Text as="span" color="secondary">
                    {' '}
                    · {row.label}
                  </Text>
                )}
              </Cell>
              <Cell>
                <CheckStatus result={result} />
              </Cell>
              <Cell>
                {result.since ? <RelativeTime iso={result.since} /> : '–'}
              </Cell>
              <Cell>
                {result.lastCheckedAt ? (
                  <RelativeTime iso={result.lastCheckedAt} />
                ) : (
                  'never'
                )}
              </Cell>
              <Cell>
                <Flex direction="column" gap="1">
                  {result.detail && <Text>{result.detail}</Text>}
                  {result.status === 'fail' && (
                    <FixLink row={row} entity={entity} />
                  )}
                </Flex>
              </Cell>
            </Row>
          ))}
        </TableBody>
      </TableRoot>
    </Flex>
  );
}

const statusLook: Record<
  ServiceCheckResult['status'],
  { symbol: string; color: 'success' | 'danger' | 'secondary' }
> = {
  pass: { symbol: '✓', color: 'success' },
  fail: { symbol: '✗', color: 'danger' },
  unknown: { symbol: '?', color: 'secondary' },
  'not-configured': { symbol: '–', color: 'secondary' },
};

/** The status in words; the colour and symbol only repeat it. */
function CheckStatus({ result }: { result: ServiceCheckResult }) {
  const { symbol, color } = statusLook[result.status];
  return (
    <Text color={color} weight="bold">
      <span aria-hidden>{symbol} </span>
      {checkStatusText(result.status, result.lastCheckedAt)}
    </Text>
  );
}

function FixLink({ row, entity }: { row: ChecklistRow; entity: Entity }) {
  const docRoot = useRouteRef(techdocsDocRootRouteRef);
  const doc = checkFixDoc(row, entity);
  if (!doc) return null;
  if (doc.kind === 'template') {
    return (
      <EntityRefLink entityRef={doc.templateRef}>{doc.title}</EntityRefLink>
    );
  }
  // Without TechDocs in the app there is no page to send anyone to.
  if (!docRoot) return null;
  const root = docRoot({
    namespace: entity.metadata.namespace ?? 'default',
    kind: entity.kind.toLocaleLowerCase('en-US'),
    name: entity.metadata.name,
  });
  return <Link href={`${root}/${doc.path}`}>{doc.title}</Link>;
}
