import { Knex } from 'knex';
import type { AttributedRecord, IngestResult } from '../MetricsStore';
import { takeAdvisoryLocks } from './advisoryLocks';
import { checkedRow } from './checkedRow';
import { CHUNK, chunks } from './chunks';
import { compareStrings } from './compareKeys';
import { deliveryId } from './deliveryId';
import { deploymentToRow } from './deploymentRows';
import { incidentEventToRow } from './incidentRows';
import { recomputeIncidents } from './recomputeIncidents';
import { readinessEntity, recomputeReadiness } from './recomputeReadiness';
import { serviceRequestToRow } from './serviceRequestRows';
import { unnestRows } from './unnestRows';

type Of<K extends AttributedRecord['kind']> = Extract<
  AttributedRecord,
  { kind: K }
>;

/**
 * Stores deliveries idempotently on both databases: claims each (source, delivery
 * key) once in `ingest_deliveries`, inserts the rows of the claimed keys, and
 * recomputes what they change (readiness of service requests, incident state)
 * under advisory locks, all in one transaction.
 */
export class DeliveryWriter {
  constructor(
    private readonly db: Knex,
    private readonly isPostgres: boolean,
  ) {}

  /**
   * Stores the records of several deliveries in one transaction (group commit) and
   * answers for each as if they had been stored one after the other, in the order
   * given: a key stored before, or by an earlier group, is that group's duplicate.
   * All or nothing, so a caller that combined deliveries from different senders
   * stores them one by one when this rejects.
   */
  async ingestGroups(groups: AttributedRecord[][]): Promise<IngestResult[]> {
    // A key repeated within the batch counts once: the first occurrence wins.
    const unique = new Map<
      string,
      { record: AttributedRecord; group: number }
    >();
    groups.forEach((records, group) => {
      for (const record of records) {
        const id = deliveryId(record.source, record.deliveryKey);
        if (!unique.has(id)) {
          unique.set(id, { record, group });
        }
      }
    });
    // Sorted, so concurrent batches take the delivery-key row locks in one order.
    const candidates = [...unique.entries()]
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([, { record }]) => record);
    const stored = groups.map(() => 0);
    if (candidates.length > 0) {
      for (const id of await this.storeCandidates(candidates)) {
        stored[unique.get(id)!.group] += 1;
      }
    }
    return groups.map((records, group) => ({
      stored: stored[group],
      duplicates: records.length - stored[group],
    }));
  }

  /** Stores unique, sorted records; returns the delivery ids that were new. */
  private async storeCandidates(
    candidates: AttributedRecord[],
  ): Promise<string[]> {
    const ids = (records: AttributedRecord[]) =>
      records.map(r => deliveryId(r.source, r.deliveryKey));
    if (
      this.isPostgres &&
      candidates.length <= CHUNK &&
      !candidates.some(
        r => r.kind === 'incident' || readinessEntity(r) !== undefined,
      )
    ) {
      // Nothing to recompute, hence nothing to lock: the one statement that claims
      // the keys and inserts the rows is the whole transaction, committed before it
      // answers. Saves BEGIN and COMMIT, two of the three round trips.
      return ids(await this.claimAndInsert(this.db, candidates));
    }

    return this.db.transaction(async tx => {
      const accepted: AttributedRecord[] = [];
      if (this.isPostgres) {
        for (const chunk of chunks(candidates)) {
          accepted.push(...(await this.claimAndInsert(tx, chunk)));
        }
      } else {
        accepted.push(...(await this.claimDeliveries(tx, candidates)));
        const { deployments, events, requests } = byKind(accepted);
        await insertRows(tx, 'deployments', deployments.map(deploymentToRow));
        await insertRows(tx, 'incident_events', events.map(incidentEventToRow));
        await insertRows(
          tx,
          'service_requests',
          requests.map(serviceRequestToRow),
        );
      }

      // Live requests whose readiness may have changed: those just requested, and
      // those of entities that just deployed successfully to production.
      const entities = new Set<string>();
      const incidents = new Map<string, [string, string]>();
      const events: Of<'incident'>[] = [];
      for (const record of accepted) {
        const entityRef = readinessEntity(record);
        if (entityRef !== undefined) entities.add(entityRef);
        if (record.kind === 'incident') {
          events.push(record);
          incidents.set(deliveryId(record.source, record.incidentKey), [
            record.source,
            record.incidentKey,
          ]);
        }
      }

      // Recomputations read rows other replicas may be writing: serialize per entity
      // and per incident (PostgreSQL; SQLite has a single writer anyway).
      if (this.isPostgres) {
        await takeAdvisoryLocks(tx, [
          ...[...entities].map(e => `entity:${e}`),
          ...[...incidents.keys()].map(i => `incident:${i}`),
        ]);
      }
      await recomputeReadiness(tx, [...entities].sort(), this.isPostgres);
      await recomputeIncidents(
        tx,
        [...incidents.entries()]
          .sort(([a], [b]) => compareStrings(a, b))
          .map(([, pair]) => pair),
        events,
      );
      return ids(accepted);
    });
  }

  /**
   * PostgreSQL: claims the delivery keys and inserts the rows of the keys it claimed
   * in one statement, data-modifying CTEs joined on what the claim returned, rather
   * than one round trip per table (a round trip costs more CPU than the insert on a
   * busy host). Each table's rows travel as one typed array per column.
   */
  private async claimAndInsert(
    db: Knex | Knex.Transaction,
    candidates: AttributedRecord[],
  ): Promise<AttributedRecord[]> {
    const bindings: unknown[] = [];
    const claims = candidates.map(claimRow);
    const claimRows = unnestRows(claims, bindings);
    const ctes = [
      `claimed AS (
        INSERT INTO ingest_deliveries (source, delivery_key, kind)
        SELECT source, delivery_key, kind FROM ${claimRows}
        ORDER BY ord
        ON CONFLICT (source, delivery_key) DO NOTHING
        RETURNING source, delivery_key)`,
    ];
    const { deployments, events, requests } = byKind(candidates);
    const tables: Array<[string, Record<string, unknown>[]]> = [
      ['deployments', deployments.map(deploymentToRow)],
      ['incident_events', events.map(incidentEventToRow)],
      ['service_requests', requests.map(serviceRequestToRow)],
    ];
    for (const [table, rows] of tables) {
      if (rows.length === 0) continue;
      const columns = Object.keys(rows[0]);
      ctes.push(`${table}_new AS (
        INSERT INTO ${table} (${columns.join(', ')})
        SELECT ${columns.map(c => `v.${c}`).join(', ')}
        FROM ${unnestRows(rows, bindings)}
        JOIN claimed c ON c.source = v.source AND c.delivery_key = v.delivery_key)`);
    }
    const { rows: claimed } = await db.raw<{
      rows: Array<{ source: string; delivery_key: string }>;
    }>(
      `WITH ${ctes.join(',\n')}\nSELECT source, delivery_key FROM claimed`,
      bindings as Knex.RawBinding[],
    );
    const ids = new Set(claimed.map(c => deliveryId(c.source, c.delivery_key)));
    return candidates.filter(r => ids.has(deliveryId(r.source, r.deliveryKey)));
  }

  /** Inserts the delivery keys, ignoring those stored before; returns the new ones. */
  private async claimDeliveries(
    tx: Knex.Transaction,
    candidates: AttributedRecord[],
  ): Promise<AttributedRecord[]> {
    const accepted: AttributedRecord[] = [];
    for (const chunk of chunks(candidates)) {
      const inserted: Array<{ source: string; delivery_key: string }> =
        await tx('ingest_deliveries')
          .insert(chunk.map(claimRow))
          .onConflict(['source', 'delivery_key'])
          .ignore()
          .returning(['source', 'delivery_key']);
      const ids = new Set(
        inserted.map(i => deliveryId(i.source, i.delivery_key)),
      );
      accepted.push(
        ...chunk.filter(r => ids.has(deliveryId(r.source, r.deliveryKey))),
      );
    }
    return accepted;
  }
}

/** The `ingest_deliveries` row that claims a record's delivery key. */
function claimRow(record: AttributedRecord) {
  return checkedRow({
    source: record.source,
    delivery_key: record.deliveryKey,
    kind: record.kind,
  });
}

async function insertRows(
  tx: Knex.Transaction,
  table: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  for (const chunk of chunks(rows)) {
    await tx(table).insert(chunk);
  }
}

/** The records of each kind, in their order. */
function byKind(records: AttributedRecord[]) {
  const deployments: Of<'deployment'>[] = [];
  const events: Of<'incident'>[] = [];
  const requests: Of<'service-request'>[] = [];
  for (const record of records) {
    if (record.kind === 'deployment') deployments.push(record);
    else if (record.kind === 'incident') events.push(record);
    else requests.push(record);
  }
  return { deployments, events, requests };
}
