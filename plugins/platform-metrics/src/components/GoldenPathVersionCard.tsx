import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ButtonLink, Flex, Text } from '@backstage/ui';
import {
  goldenPathOf,
  releasesAfter,
} from '@internal/plugin-platform-metrics-common';
import { platformMetricsApiRef } from '../api';
import { upgradeFormPath } from './goldenPathUpgrade';
import { ErrorState, LoadingState } from './States';
import { TitledCard } from './TitledCard';
import { useAsyncData } from './useAsyncData';

/**
 * Tells a golden-path service's owners whether a newer version of their
 * template exists, what it changes, and opens the upgrade with the service
 * filled in. Renders nothing for a template the portal does not release.
 */
export function GoldenPathVersionCard() {
  const { entity } = useEntity();
  const api = useApi(platformMetricsApiRef);
  const recorded = goldenPathOf(entity);
  const data = useAsyncData(() => api.getGoldenPathVersions(), [api]);

  if (!recorded) return null;
  if (data.error) {
    return (
      <TitledCard title="Golden path version">
        <ErrorState
          title="The golden-path versions could not be loaded"
          error={data.error}
          onRetry={data.retry}
        />
      </TitledCard>
    );
  }
  if (!data.value) {
    return (
      <TitledCard title="Golden path version">
        <LoadingState label="Loading golden-path versions" />
      </TitledCard>
    );
  }
  const template = data.value.items.find(i => i.template === recorded.template);
  if (!template) return null;

  const current = recorded.version ?? 'no recorded version';
  const newer = releasesAfter(template.releases, recorded.version);
  if (newer.length === 0) {
    return (
      <TitledCard title="Golden path version">
        <Text>
          {recorded.template} {current}: up to date.
        </Text>
      </TitledCard>
    );
  }
  return (
    <TitledCard
      title={`${template.latest} available`}
      label="Golden path version"
    >
      <Flex direction="column" gap="3">
        <Text>
          This service was created from {recorded.template} {current}. What{' '}
          {newer.length === 1
            ? 'the newer version changes'
            : 'the newer versions change'}
          :
        </Text>
        {newer.map(release => (
          <Flex direction="column" gap="1" key={release.version}>
            <Text as="h3" variant="body-medium" weight="bold">
              {release.version}
              {release.released ? ` (${release.released})` : ''}
            </Text>
            <ul>
              {release.changelog.map(entry => (
                <li key={entry.title}>
                  <Text weight="bold">{entry.title}</Text>
                  <Text>: {entry.description}</Text>
                </li>
              ))}
            </ul>
          </Flex>
        ))}
        <Flex>
          <ButtonLink href={upgradeFormPath(stringifyEntityRef(entity))}>
            Upgrade
          </ButtonLink>
        </Flex>
        <Text variant="body-small" color="secondary">
          The upgrade merges the new version into a branch of the repository and
          keeps your own changes; the default branch is not touched.
        </Text>
      </Flex>
    </TitledCard>
  );
}
