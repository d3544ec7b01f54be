import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  compareVersions,
  type GoldenPathBehindService,
  type GoldenPathDriftResponse,
  type GoldenPathRelease,
  type GoldenPathTemplateDrift,
  type GoldenPathVersionsResponse,
  goldenPathOf,
  isVersion,
  releasesAfter,
  SOURCE_TEMPLATE_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from '@internal/plugin-platform-metrics-common';
import { readGoldenPathReleases } from '../goldenPaths/readGoldenPathReleases';
import type { GoldenPathService } from './GoldenPathService';

/** The label the golden-path Templates carry (templates/golden-paths/source). */
const GOLDEN_PATH_LABEL = 'acme.example/golden-path';

interface GoldenPathTemplate {
  name: string;
  title: string;
}

/**
 * Releases from `versions.yaml` (the one source of versions and changelogs,
 * which the upgrade action reads too); which Templates are golden paths and
 * which version each service records, from the catalog. The golden paths are
 * released together, so every template has the same releases.
 */
export class DefaultGoldenPathService implements GoldenPathService {
  private constructor(
    private readonly catalog: CatalogService,
    private readonly versionsFile: string,
  ) {}

  static create(options: { catalog: CatalogService; versionsFile: string }) {
    return new DefaultGoldenPathService(options.catalog, options.versionsFile);
  }

  async versions({
    credentials,
  }: {
    credentials: BackstageCredentials;
  }): Promise<GoldenPathVersionsResponse> {
    const [releases, templates] = await Promise.all([
      this.releases(),
      this.templates(credentials),
    ]);
    return {
      items: templates.map(t => ({
        template: t.name,
        latest: releases[0].version,
        releases,
      })),
    };
  }

  async drift({
    credentials,
  }: {
    credentials: BackstageCredentials;
  }): Promise<GoldenPathDriftResponse> {
    const [releases, templates, services] = await Promise.all([
      this.releases(),
      this.templates(credentials),
      this.catalog.getEntities(
        {
          filter: {
            kind: 'Component',
            [`metadata.annotations.${SOURCE_TEMPLATE_ANNOTATION}`]:
              CATALOG_FILTER_EXISTS,
          },
          fields: [
            'kind',
            'metadata.namespace',
            'metadata.name',
            'metadata.title',
            'metadata.annotations',
            'spec.owner',
          ],
        },
        { credentials },
      ),
    ]);
    const latest = releases[0].version;
    const byTemplate = new Map<string, Entity[]>(
      templates.map(t => [t.name, []]),
    );
    for (const entity of services.items) {
      const recorded = goldenPathOf(entity);
      if (recorded) byTemplate.get(recorded.template)?.push(entity);
    }
    const ownerTitles = await this.ownerTitles(
      [...byTemplate.values()].flat(),
      credentials,
    );

    const items = templates.map((template): GoldenPathTemplateDrift => {
      const entities = byTemplate.get(template.name)!;
      const counts = new Map<string | null, number>();
      const behind: GoldenPathBehindService[] = [];
      for (const entity of entities) {
        const version = goldenPathOf(entity)!.version;
        counts.set(version, (counts.get(version) ?? 0) + 1);
        const status = behindStatus(version, releases);
        if (status) {
          const owner = ownerOf(entity);
          behind.push({
            entityRef: stringifyEntityRef(entity),
            title: entity.metadata.title ?? null,
            owner,
            ownerTitle: owner ? ownerTitles.get(owner) ?? owner : null,
            version,
            ...status,
          });
        }
      }
      return {
        template: template.name,
        title: template.title,
        latest,
        versions: [...counts.entries()]
          .map(([version, count]) => ({ version, services: count }))
          .sort((a, b) => byVersionNewestFirst(a.version, b.version)),
        behind: behind.sort(byLongestBehind),
      };
    });
    return { items };
  }

  private async releases(): Promise<GoldenPathRelease[]> {
    try {
      return await readGoldenPathReleases(this.versionsFile);
    } catch (error) {
      // A deployment without the file, or a broken file, is the portal's
      // problem, not the caller's; the message says which file.
      throw new ServiceUnavailableError(
        `The golden-path versions cannot be read: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  }

  private async templates(
    credentials: BackstageCredentials,
  ): Promise<GoldenPathTemplate[]> {
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          kind: 'Template',
          [`metadata.labels.${GOLDEN_PATH_LABEL}`]: 'true',
        },
        fields: ['metadata.name', 'metadata.title'],
      },
      { credentials },
    );
    return items
      .map(t => ({
        name: t.metadata.name,
        title: t.metadata.title ?? t.metadata.name,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Display names of the owning Groups; refs the catalog does not know stay refs. */
  private async ownerTitles(
    entities: Entity[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, string>> {
    const refs = [
      ...new Set(entities.map(ownerOf).filter((r): r is string => !!r)),
    ];
    if (refs.length === 0) return new Map();
    const { items } = await this.catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.profile.displayName',
        ],
      },
      { credentials },
    );
    const titles = new Map<string, string>();
    items.forEach((owner, index) => {
      if (!owner) return;
      const profile = (owner.spec?.profile ?? {}) as { displayName?: string };
      titles.set(
        refs[index],
        profile.displayName ?? owner.metadata.title ?? owner.metadata.name,
      );
    });
    return titles;
  }
}

function ownerOf(entity: Entity): string | null {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return null;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return null;
  }
}

/**
 * How long a service on `version` has been behind: since the release of the
 * first version after it. Undefined when it is on the latest or newer.
 */
function behindStatus(
  version: string | null,
  releases: GoldenPathRelease[],
): Pick<GoldenPathBehindService, 'behindSince' | 'unknownReason'> | undefined {
  if (version === null) {
    return {
      behindSince: null,
      unknownReason: `records no version (annotation ${TEMPLATE_VERSION_ANNOTATION})`,
    };
  }
  if (!isVersion(version) || !releases.some(r => r.version === version)) {
    if (
      isVersion(version) &&
      compareVersions(version, releases[0].version) > 0
    ) {
      return undefined;
    }
    return {
      behindSince: null,
      unknownReason: `version ${version} was never released`,
    };
  }
  const newer = releasesAfter(releases, version);
  if (newer.length === 0) return undefined;
  const first = newer[newer.length - 1];
  return first.released
    ? { behindSince: first.released }
    : {
        behindSince: null,
        unknownReason: `versions.yaml gives no release date for ${first.version}`,
      };
}

/** Released versions newest first, then anything else by name, "none" last. */
function byVersionNewestFirst(a: string | null, b: string | null): number {
  if (a === null || b === null)
    return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  const va = isVersion(a);
  const vb = isVersion(b);
  if (va && vb) return compareVersions(b, a);
  if (va !== vb) return va ? -1 : 1;
  return a.localeCompare(b);
}

/** The longest behind first; unknown durations after the known ones. */
function byLongestBehind(
  a: GoldenPathBehindService,
  b: GoldenPathBehindService,
): number {
  if (a.behindSince !== b.behindSince) {
    if (a.behindSince === null) return 1;
    if (b.behindSince === null) return -1;
    return a.behindSince.localeCompare(b.behindSince);
  }
  return a.entityRef.localeCompare(b.entityRef);
}
