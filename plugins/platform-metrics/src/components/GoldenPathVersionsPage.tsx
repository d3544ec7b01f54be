import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import { Button, Checkbox, Container, Flex, Link, Text } from '@backstage/ui';
import {
  type GoldenPathBehindService,
  type GoldenPathTemplateDrift,
  platformMetricsAdminPermission,
} from '@internal/plugin-platform-metrics-common';
import { useState } from 'react';
import { platformMetricsApiRef } from '../api';
import { type DataColumn, DataTable } from './DataTable';
import { EntityLink } from './EntityLink';
import { runBulkUpgrade, type UpgradeProgress } from './runBulkUpgrade';
import { EmptyState, ErrorState, LoadingState } from './States';
import { TitledCard } from './TitledCard';
import { useAsyncData } from './useAsyncData';

const DAY_MS = 24 * 60 * 60 * 1000;

/** "since 2026-11-26 (7 days)", or why it is not known. */
export function behindText(service: GoldenPathBehindService, now = Date.now()) {
  if (!service.behindSince) return `unknown: ${service.unknownReason ?? ''}`;
  const days = Math.max(
    0,
    Math.floor((now - Date.parse(`${service.behindSince}T00:00:00Z`)) / DAY_MS),
  );
  return `since ${service.behindSince} (${days} ${
    days === 1 ? 'day' : 'days'
  })`;
}

function ProgressText({ progress }: { progress?: UpgradeProgress }) {
  if (!progress) return <>–</>;
  switch (progress.state) {
    case 'queued':
      return <>queued</>;
    case 'running':
      return <>running{progress.step ? `: ${progress.step}` : ''}</>;
    case 'failed':
      return (
        <Text color="secondary">refused or failed: {progress.message}</Text>
      );
    default:
      return (
        <Flex direction="column" gap="1">
          <Text>{progress.branch ? `branch ${progress.branch}` : 'done'}</Text>
          {progress.links.map(link => (
            <Link key={link.url} href={link.url}>
              {link.title}
            </Link>
          ))}
        </Flex>
      );
  }
}

/** Services per version as bars, newest version first. */
function VersionHistogram({ drift }: { drift: GoldenPathTemplateDrift }) {
  const total = drift.versions.reduce((sum, v) => sum + v.services, 0);
  if (total === 0) {
    return <Text color="secondary">No service records this template yet.</Text>;
  }
  return (
    <Flex
      direction="column"
      gap="1"
      aria-label={`${drift.template} services per version`}
    >
      {drift.versions.map(v => {
        const label = v.version ?? 'no version recorded';
        return (
          <Flex key={label} align="center" gap="2">
            <Text style={{ minWidth: '10rem' }}>
              {label}
              {v.version === drift.latest ? ' (latest)' : ''}
            </Text>
            <div
              aria-hidden
              style={{
                width: `${(60 * v.services) / total}%`,
                minWidth: 4,
                height: 12,
                // The colours of the other charts: blue for the latest.
                background: v.version === drift.latest ? '#1f77b4' : '#9e9e9e',
              }}
            />
            <Text>
              {v.services} {v.services === 1 ? 'service' : 'services'}
            </Text>
          </Flex>
        );
      })}
    </Flex>
  );
}

function TemplateDriftCard(props: {
  drift: GoldenPathTemplateDrift;
  canUpgrade: boolean;
  selected: Set<string>;
  onToggle(entityRef: string, selected: boolean): void;
  progress: Map<string, UpgradeProgress>;
}) {
  const { drift, canUpgrade, selected, onToggle, progress } = props;
  const columns: DataColumn<GoldenPathBehindService>[] = [
    {
      title: 'Service',
      value: s => s.entityRef,
      render: s => <EntityLink entityRef={s.entityRef} />,
    },
    { title: 'Owner', value: s => s.ownerTitle ?? 'no owner' },
    { title: 'Version', value: s => s.version ?? 'none recorded' },
    { title: 'Behind', value: s => behindText(s) },
    {
      title: 'Upgrade',
      value: s => progress.get(s.entityRef)?.state ?? '',
      render: s => <ProgressText progress={progress.get(s.entityRef)} />,
    },
  ];
  if (canUpgrade) {
    columns.unshift({
      title: 'Select',
      value: s => (selected.has(s.entityRef) ? 'selected' : ''),
      render: s => (
        <Checkbox
          aria-label={`Select ${s.entityRef}`}
          isSelected={selected.has(s.entityRef)}
          onChange={value => onToggle(s.entityRef, value)}
        />
      ),
    });
  }
  return (
    <TitledCard
      title={`${drift.title} (${drift.template}): latest ${drift.latest}`}
    >
      <Flex direction="column" gap="4">
        <VersionHistogram drift={drift} />
        <DataTable
          title={`${drift.template}: services behind ${drift.latest}`}
          columns={columns}
          rows={drift.behind}
          rowKey={s => s.entityRef}
          emptyMessage={`Every ${drift.template} service is on ${drift.latest}.`}
          fileName={`${drift.template}-behind.csv`}
        />
      </Flex>
    </TitledCard>
  );
}

/**
 * Golden-path versions for the platform team: per template, how many services
 * are on each version, who owns the ones behind and for how long; with the
 * admin permission, upgrade requests for the selected services in bulk.
 */
export function GoldenPathVersionsPage() {
  const api = useApi(platformMetricsApiRef);
  const scaffolder = useApi(scaffolderApiRef);
  const drift = useAsyncData(() => api.getGoldenPathDrift(), [api]);
  const admin = usePermission({ permission: platformMetricsAdminPermission });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [progress, setProgress] = useState<Map<string, UpgradeProgress>>(
    new Map(),
  );
  const [running, setRunning] = useState(false);

  const toggle = (entityRef: string, on: boolean) =>
    setSelected(previous => {
      const next = new Set(previous);
      if (on) next.add(entityRef);
      else next.delete(entityRef);
      return next;
    });

  const upgrade = async () => {
    setRunning(true);
    try {
      await runBulkUpgrade({
        scaffolder,
        entityRefs: [...selected],
        onProgress: (entityRef, p) =>
          setProgress(previous => new Map(previous).set(entityRef, p)),
      });
    } finally {
      setRunning(false);
      setSelected(new Set());
    }
  };

  let body;
  if (drift.error) {
    body = (
      <ErrorState
        title="The golden-path versions could not be loaded"
        error={drift.error}
        onRetry={drift.retry}
      />
    );
  } else if (!drift.value) {
    body = <LoadingState label="Loading golden-path versions" />;
  } else if (drift.value.items.length === 0) {
    body = (
      <EmptyState title="No golden-path templates in the catalog">
        Templates labelled acme.example/golden-path appear here with the
        services created from them.
      </EmptyState>
    );
  } else {
    const canUpgrade = !admin.loading && admin.allowed;
    body = (
      <Flex direction="column" gap="4">
        {canUpgrade ? (
          <Flex align="center" gap="3">
            <Button
              isDisabled={selected.size === 0 || running}
              onPress={upgrade}
            >
              Open upgrade requests ({selected.size})
            </Button>
            <Text color="secondary">
              Starts the golden-path-upgrade template for each selected service,
              three at a time. Each pushes a branch and opens a pull or merge
              request; nothing reaches a default branch.
            </Text>
          </Flex>
        ) : (
          <Text color="secondary">
            Upgrading services in bulk is for the platform team (permission
            platform-metrics.admin). Owners upgrade their own service from its
            page.
          </Text>
        )}
        {drift.value.items.map(item => (
          <TemplateDriftCard
            key={item.template}
            drift={item}
            canUpgrade={canUpgrade}
            selected={selected}
            onToggle={toggle}
            progress={progress}
          />
        ))}
      </Flex>
    );
  }
  return (
    <Container>
      <Flex direction="column" gap="4" py="4">
        {body}
      </Flex>
    </Container>
  );
}
