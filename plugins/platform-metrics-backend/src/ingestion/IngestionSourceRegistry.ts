import type { IngestionSourceInfo } from '@internal/plugin-platform-metrics-common';
import type { PlatformMetricsIngestionSource } from '@internal/plugin-platform-metrics-node';

/** Also the stored `source`, a column of 32 characters. */
const SOURCE_ID = /^(?=.{1,32}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The `source` of records the plugin writes itself (its CDEvents API, baseline
 * imports, the demo history): a webhook with one of these ids would share their
 * idempotency keys.
 */
const RESERVED_IDS = new Set(['cdevents', 'baseline', 'demo']);

/** The plugin's own ingestion endpoint, which takes Backstage credentials. */
const CDEVENTS_ENDPOINT: IngestionSourceInfo = {
  id: 'cdevents',
  displayName: 'CDEvents (pipelines, scaffolder)',
  path: '/v1/events',
  authentication: 'backstage',
  setup:
    'POST JSON (plain, CloudEvents structured, or a batch) with Authorization: Bearer <static token>. Production deployments use environment id "production"; declare customData.goldenPath { template, version } on golden-path pipelines.',
  attributionAnnotations: [],
};

/**
 * The ingestion sources the plugin serves: its built-in ones and those its
 * modules registered, checked once at start-up.
 */
export class IngestionSourceRegistry {
  private constructor(
    readonly sources: readonly PlatformMetricsIngestionSource[],
  ) {}

  /** Throws when an id is malformed, reserved or taken twice. */
  static create(
    sources: readonly PlatformMetricsIngestionSource[],
  ): IngestionSourceRegistry {
    const seen = new Set<string>();
    for (const { id } of sources) {
      if (!SOURCE_ID.test(id)) {
        throw new Error(
          `Ingestion source id "${id}" must be 1 to 32 lower-case letters, digits and "-"`,
        );
      }
      if (RESERVED_IDS.has(id)) {
        throw new Error(
          `Ingestion source id "${id}" is reserved for the platform-metrics plugin`,
        );
      }
      if (seen.has(id)) {
        throw new Error(`Ingestion source "${id}" is registered twice`);
      }
      seen.add(id);
    }
    return new IngestionSourceRegistry(sources);
  }

  /** Every annotation a source attributes by, once each, in registration order. */
  get attributionAnnotations(): string[] {
    return [...new Set(this.sources.flatMap(s => s.attributionAnnotations))];
  }

  /** The plugin's CDEvents API, then every source, as the admin page lists them. */
  describe(): IngestionSourceInfo[] {
    return [
      CDEVENTS_ENDPOINT,
      ...this.sources.map(source => ({
        id: source.id,
        displayName: source.displayName,
        path: webhookPath(source),
        authentication: source.authentication,
        setup: source.setup,
        attributionAnnotations: [...source.attributionAnnotations],
      })),
    ];
  }
}

/** The route a source is served at, relative to the plugin's base URL. */
export function webhookPath(source: PlatformMetricsIngestionSource): string {
  return `/v1/webhooks/${source.id}`;
}
