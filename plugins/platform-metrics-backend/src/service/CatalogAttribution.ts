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

/** Annotations that tools already set on catalog entities, in the order we trust them. */
export const ATTRIBUTION_ANNOTATIONS = [
  'pagerduty.com/service-id',
  'opsgenie.com/component-selector',
  'github.com/project-slug',
  'gitlab.com/project-slug',
  'backstage.io/kubernetes-id',
] as const;

const CACHE_TTL_MS = 60_000;

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
 * per event, so a webhook burst costs no catalog round trips.
 */
export class CatalogAttribution {
  private index?: Promise<CatalogIndex>;

  private constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
  }) {
    return new CatalogAttribution(
      options.catalog,
      options.auth,
      options.logger,
    );
  }

  async attribute(service: ServiceReference | undefined): Promise<Attribution> {
    const unknown: Attribution = { entityRef: null, teamRef: null };
    if (!service) return unknown;
    const index = await this.getIndex();
    if (service.entityRef) {
      const ref = normaliseRef(service.entityRef);
      // An explicit ref is kept even when the catalog does not know it (yet).
      return index.byRef.get(ref) ?? { entityRef: ref, teamRef: null };
    }
    if (service.annotation) {
      const hit = index.byAnnotation.get(
        annotationKey(service.annotation.key, service.annotation.value),
      );
      if (hit) return hit;
    }
    if (service.name) {
      return (
        index.byName.get(service.name.toLocaleLowerCase('en-US')) ?? unknown
      );
    }
    return unknown;
  }

  private async getIndex(): Promise<CatalogIndex> {
    const current = this.index;
    if (current) {
      const loaded = await current.catch(() => undefined);
      if (loaded && Date.now() - loaded.loadedAt < CACHE_TTL_MS) return loaded;
    }
    const next = this.loadIndex();
    this.index = next;
    return next.catch(error => {
      // Attribution is best effort: events are stored unattributed rather than lost.
      this.logger.warn(`Could not read the catalog for attribution: ${error}`);
      this.index = undefined;
      return emptyIndex();
    });
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
      for (const entity of page.items) addToIndex(index, entity);
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

function addToIndex(index: CatalogIndex, entity: Entity) {
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
  for (const key of ATTRIBUTION_ANNOTATIONS) {
    const value = entity.metadata.annotations?.[key];
    if (value) index.byAnnotation.set(annotationKey(key, value), attribution);
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
