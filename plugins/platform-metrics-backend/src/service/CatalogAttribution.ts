import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  type Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ServiceReference } from '../ingestion/types';
import type { Attribution } from '../database/MetricsStore';

const CACHE_TTL_MS = 60_000;

const UNKNOWN: Attribution = { entityRef: null, teamRef: null };

interface CatalogIndex {
  loadedAt: number;
  byRef: Map<string, Attribution>;
  byAnnotation: Map<string, Attribution>;
  byName: Map<string, Attribution>;
}

const annotationKey = (key: string, value: string) => `${key}=${value}`;

/**
 * Resolves how an event names its service to a catalog entity and its owning Group.
 * Reads the catalog once a minute (one paged query over components) instead of once
 * per event, so a webhook burst costs no catalog round trips. A stale index keeps
 * answering while its replacement loads, so no delivery waits for the catalog
 * except the very first.
 */
export class CatalogAttribution {
  /** The index being served; undefined until the first load succeeds. */
  private current?: CatalogIndex;
  /** The load in flight, shared by everyone who needs it. */
  private loading?: Promise<CatalogIndex | undefined>;

  private constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
    private readonly annotations: readonly string[],
  ) {}

  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    /** The annotations events may name services by: those the ingestion sources list. */
    annotations: readonly string[];
  }) {
    return new CatalogAttribution(
      options.catalog,
      options.auth,
      options.logger,
      options.annotations,
    );
  }

  async attribute(service: ServiceReference | undefined): Promise<Attribution> {
    const [attribution] = await this.attributeAll([service]);
    return attribution;
  }

  /** {@link attribute} for many services, reading the index once. */
  async attributeAll(
    services: Array<ServiceReference | undefined>,
  ): Promise<Attribution[]> {
    const index = await this.getIndex();
    return services.map(service => resolve(index, service));
  }

  private async getIndex(): Promise<CatalogIndex> {
    const current = this.current;
    if (current && Date.now() - current.loadedAt < CACHE_TTL_MS) {
      return current;
    }
    if (!this.loading) {
      this.loading = this.loadIndex()
        .then(
          index => {
            this.current = index;
            return index;
          },
          error => {
            // Attribution is best effort: events are stored with the last known
            // index, or unattributed, rather than lost. The next call tries again.
            this.logger.warn(
              `Could not read the catalog for attribution: ${error}`,
            );
            return undefined;
          },
        )
        .finally(() => {
          this.loading = undefined;
        });
    }
    if (current) return current;
    return (await this.loading) ?? emptyIndex();
  }

  private async loadIndex(): Promise<CatalogIndex> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const index = emptyIndex();
    let cursor: string | undefined;
    do {
      const page = await this.catalog.queryEntities(
        cursor
          ? { cursor, limit: 500 }
          : {
              filter: { kind: 'Component' },
              fields: ['kind', 'metadata', 'relations'],
              limit: 500,
            },
        { credentials },
      );
      for (const entity of page.items) {
        addToIndex(index, entity, this.annotations);
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return index;
  }
}

function emptyIndex(): CatalogIndex {
  return {
    loadedAt: Date.now(),
    byRef: new Map(),
    byAnnotation: new Map(),
    byName: new Map(),
  };
}

function resolve(
  index: CatalogIndex,
  service: ServiceReference | undefined,
): Attribution {
  if (!service) return UNKNOWN;
  if (service.entityRef) {
    const ref = normaliseRef(service.entityRef);
    // An explicit ref is kept even when the catalog does not know it (yet).
    return index.byRef.get(ref) ?? { entityRef: ref, teamRef: null };
  }
  const { annotation } = service;
  const candidates = Array.isArray(annotation) ? annotation : [annotation];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const hit = index.byAnnotation.get(
      annotationKey(candidate.key, candidate.value),
    );
    // A value shared by components of different owners names nobody.
    if (hit && (hit.entityRef || hit.teamRef)) return hit;
  }
  if (service.name) {
    return index.byName.get(service.name.toLocaleLowerCase('en-US')) ?? UNKNOWN;
  }
  return UNKNOWN;
}

function addToIndex(
  index: CatalogIndex,
  entity: Entity,
  annotations: readonly string[],
) {
  const entityRef = stringifyEntityRef(entity);
  const owner = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  const attribution: Attribution = {
    entityRef,
    teamRef: owner?.targetRef ?? null,
  };
  index.byRef.set(entityRef, attribution);
  index.byName.set(
    entity.metadata.name.toLocaleLowerCase('en-US'),
    attribution,
  );
  for (const key of annotations) {
    const value = entity.metadata.annotations?.[key];
    if (!value) continue;
    const k = annotationKey(key, value);
    const other = index.byAnnotation.get(k);
    if (!other) {
      index.byAnnotation.set(k, attribution);
    } else if (other.entityRef !== entityRef) {
      // A value several components carry (an Opsgenie team, say) names none of
      // them: only the Group that owns them all, when one does.
      index.byAnnotation.set(k, {
        entityRef: null,
        teamRef: other.teamRef === attribution.teamRef ? other.teamRef : null,
      });
    }
  }
}

function normaliseRef(ref: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return ref;
  }
}
