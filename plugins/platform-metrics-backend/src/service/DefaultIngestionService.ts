import type { IngestRecord } from '../ingestion/types';
import type { IngestResult, MetricsStore } from '../database/MetricsStore';
import type { CatalogAttribution } from './CatalogAttribution';

/** Attributes incoming records to catalog entities and stores them idempotently. */
export class DefaultIngestionService {
  private constructor(
    private readonly store: MetricsStore,
    private readonly attribution: Pick<CatalogAttribution, 'attribute'>,
  ) {}

  static create(options: {
    store: MetricsStore;
    attribution: Pick<CatalogAttribution, 'attribute'>;
  }) {
    return new DefaultIngestionService(options.store, options.attribution);
  }

  /** Resolves once every record is committed, so callers may answer 2xx. */
  async ingest(records: IngestRecord[]): Promise<IngestResult> {
    if (records.length === 0) return { stored: 0, duplicates: 0 };
    const attributed = await Promise.all(
      records.map(async record => {
        const attribution = await this.attribution.attribute(
          record.kind === 'service-request'
            ? { entityRef: record.entityRef }
            : record.service,
        );
        // A team named by the source itself wins over the catalog's current owner.
        const team = record.kind === 'deployment' ? undefined : record.team;
        return {
          ...record,
          attribution: team ? { ...attribution, teamRef: team } : attribution,
        };
      }),
    );
    return this.store.ingest(attributed);
  }
}
