import type { IngestResult } from '../database/MetricsStore';
import type { IngestRecord } from '../ingestion/types';

/** Stores parsed records from every ingestion route, attributed to the catalog. */
export interface IngestionService {
  /**
   * Stores the records idempotently: a record whose (source, deliveryKey) was stored
   * before counts as a duplicate. Resolves once every record is committed, so the
   * caller may answer 2xx.
   */
  ingest(records: IngestRecord[]): Promise<IngestResult>;
}
