import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  type Entity,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { SOURCE_TEMPLATE_ANNOTATION } from '@internal/plugin-platform-metrics-common';
import type { CheckTarget } from './ServiceCheck';

const PROMETHEUS_RULE = 'prometheus.io/rule';
const KUBERNETES_ID = 'backstage.io/kubernetes-id';
/** The tag that makes a Template a golden path (templates/golden-paths/template.yaml). */
const GOLDEN_PATH_TAG = 'golden-path';

/** A service the checks cover, with the team that owns it. */
export interface CheckedService {
  target: CheckTarget;
  /** The owning Group, lower-case; null when the entity names no owner. */
  teamRef: string | null;
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** The `https://` link titled "Production", as a hostname. */
function productionHostname(entity: Entity): string | undefined {
  for (const link of entity.metadata.links ?? []) {
    if (link.title?.trim().toLocaleLowerCase('en-US') !== 'production') {
      continue;
    }
    try {
      const url = new URL(link.url);
      if (url.protocol === 'https:' && url.hostname) return url.hostname;
    } catch {
      // Not a URL: as if the link were missing.
    }
  }
  return undefined;
}

/**
 * The check target of a catalog entity: a Component whose source template is a
 * golden path, or any Component with a `prometheus.io/rule` annotation;
 * undefined for anything else.
 */
export function toCheckedService(
  entity: Entity,
  goldenPathTemplates: ReadonlySet<string>,
): CheckedService | undefined {
  if (entity.kind.toLocaleLowerCase('en-US') !== 'component') return undefined;
  const annotations = entity.metadata.annotations ?? {};
  const template = annotations[SOURCE_TEMPLATE_ANNOTATION];
  const fromGoldenPath =
    template !== undefined && goldenPathTemplates.has(lower(template));
  const prometheusRule = annotations[PROMETHEUS_RULE]?.trim() || undefined;
  if (!fromGoldenPath && !prometheusRule) return undefined;

  const namespace = lower(entity.metadata.namespace ?? 'default');
  const name = lower(entity.metadata.name);
  const owner = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  return {
    target: {
      entityRef: `component:${namespace}/${name}`,
      namespace,
      name,
      hostname: productionHostname(entity),
      kubernetesId: annotations[KUBERNETES_ID]?.trim() || entity.metadata.name,
      prometheusRule,
    },
    teamRef: owner ? lower(owner.targetRef) : null,
  };
}

/** Refs (lower-case) of the Templates tagged as golden paths. */
async function goldenPathTemplateRefs(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<Set<string>> {
  const { items } = await catalog.getEntities(
    {
      filter: { kind: 'Template', 'metadata.tags': GOLDEN_PATH_TAG },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    },
    { credentials },
  );
  return new Set(items.map(t => lower(stringifyEntityRef(t))));
}

const TARGET_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'metadata.links',
  'relations',
];

/** Every service in the catalog that the checks cover. */
export async function listCheckedServices(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<CheckedService[]> {
  const templates = await goldenPathTemplateRefs(catalog, credentials);
  const { items } = await catalog.getEntities(
    {
      filter: [
        {
          kind: 'Component',
          [`metadata.annotations.${SOURCE_TEMPLATE_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        {
          kind: 'Component',
          [`metadata.annotations.${PROMETHEUS_RULE}`]: CATALOG_FILTER_EXISTS,
        },
      ],
      fields: TARGET_FIELDS,
    },
    { credentials },
  );
  return items.flatMap(entity => toCheckedService(entity, templates) ?? []);
}

/**
 * One Component by name: `not-found` when the catalog has no such entity (or
 * the caller may not see it), `not-checked` when the checks do not cover it.
 */
export async function findCheckedService(
  catalog: CatalogService,
  ref: { namespace: string; name: string },
  credentials: BackstageCredentials,
): Promise<CheckedService | 'not-found' | 'not-checked'> {
  const entity = await catalog.getEntityByRef(
    { kind: 'component', namespace: ref.namespace, name: ref.name },
    { credentials },
  );
  if (!entity) return 'not-found';
  const templates = await goldenPathTemplateRefs(catalog, credentials);
  return toCheckedService(entity, templates) ?? 'not-checked';
}
