import type { IngestRecord } from '../ingestion/types';
import type {
  AttributedRecord,
  IngestResult,
  MetricsStore,
} from '../database/MetricsStore';
import type { CatalogAttribution } from './CatalogAttribution';
import type { IngestionService } from './IngestionService';

interface Waiting {
  records: AttributedRecord[];
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

/**
 * Transactions in flight at once. Deliveries that arrive while all are busy wait and
 * are committed together by the next one, so a burst costs a few transactions
 * instead of one per delivery, while a lone delivery is stored at once. Two keeps
 * one transaction filling while the other commits; more made smaller groups and
 * fewer webhooks per second on the 2-core benchmark host (bench/ingest).
 */
const DEFAULT_MAX_IN_FLIGHT = 2;

/** Records per combined transaction; a larger delivery is stored on its own. */
const MAX_GROUP_RECORDS = 1000;

/** Attributes incoming records to catalog entities and stores them idempotently. */
export class DefaultIngestionService implements IngestionService {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  private constructor(
    private readonly store: MetricsStore,
    private readonly attribution: Pick<CatalogAttribution, 'attributeAll'>,
    private readonly maxInFlight: number,
  ) {}

  static create(options: {
    store: MetricsStore;
    attribution: Pick<CatalogAttribution, 'attributeAll'>;
    /** Concurrent ingest transactions; deliveries beyond are grouped. */
    maxInFlight?: number;
  }) {
    return new DefaultIngestionService(
      options.store,
      options.attribution,
      options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    );
  }

  async ingest(records: IngestRecord[]): Promise<IngestResult> {
    if (records.length === 0) return { stored: 0, duplicates: 0 };
    const attributions = await this.attribution.attributeAll(
      records.map(record =>
        record.kind === 'service-request'
          ? { entityRef: record.entityRef }
          : record.service,
      ),
    );
    const attributed = records.map((record, i) => {
      const attribution = attributions[i];
      // A team named by the source itself wins over the catalog's current owner.
      const team = record.kind === 'deployment' ? undefined : record.team;
      return {
        ...record,
        attribution: team ? { ...attribution, teamRef: team } : attribution,
      };
    });
    return new Promise<IngestResult>((resolve, reject) => {
      this.waiting.push({ records: attributed, resolve, reject });
      this.startTransactions();
    });
  }

  private startTransactions() {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const group = [this.waiting.shift()!];
      let size = group[0].records.length;
      while (
        this.waiting.length > 0 &&
        size + this.waiting[0].records.length <= MAX_GROUP_RECORDS
      ) {
        const next = this.waiting.shift()!;
        size += next.records.length;
        group.push(next);
      }
      this.inFlight += 1;
      this.commit(group).finally(() => {
        this.inFlight -= 1;
        this.startTransactions();
      });
    }
  }

  private async commit(group: Waiting[]): Promise<void> {
    try {
      const results = await this.store.ingestGroups(group.map(w => w.records));
      group.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      if (group.length === 1) {
        group[0].reject(error);
        return;
      }
      // One delivery's bad record must not fail the others it was grouped with:
      // each is stored on its own, and only the faulty one is refused.
      await Promise.all(
        group.map(w => this.store.ingest(w.records).then(w.resolve, w.reject)),
      );
    }
  }
}
