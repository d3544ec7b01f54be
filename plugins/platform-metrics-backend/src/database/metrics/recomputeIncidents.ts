import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import type { IncidentEventRecord } from '../../ingestion/types';
import { chunks } from './chunks';
import {
  COUNTED_INCIDENT_COLUMNS,
  CountedIncidentRow,
  countIncidentDurations,
} from './countIncidentDurations';
import { deliveryId } from './deliveryId';

/** Correlates `incident_events e` with the `incidents` row being updated. */
const SAME_INCIDENT =
  'e.source = incidents.source AND e.incident_key = incidents.incident_key';
const OPENING = `e.type IN ('triggered', 'reopened')`;
const LAST_RESOLVED = `MAX(CASE WHEN e.type = 'resolved' THEN e.occurred_at_ms END)`;
const LAST_OPENED = `MAX(CASE WHEN ${OPENING} THEN e.occurred_at_ms END)`;

function latestNonNull(column: string): string {
  return `(SELECT e.${column} FROM incident_events e
    WHERE ${SAME_INCIDENT} AND e.${column} IS NOT NULL
    ORDER BY e.occurred_at_ms DESC, e.seq DESC LIMIT 1)`;
}

/**
 * Rebuilds each touched incident (`pairs` of source and incident key, sorted) from
 * all its stored events: started at the earliest `triggered` (else the earliest
 * event); resolved at the latest `resolved` unless a `triggered`/`reopened` came
 * later; latest non-null attributes. `events` are the ones just stored. The
 * duration rollup follows in the same transaction.
 */
export async function recomputeIncidents(
  tx: Knex.Transaction,
  pairs: Array<[string, string]>,
  events: IncidentEventRecord[],
): Promise<void> {
  const firstSeen = new Map<string, Date>();
  for (const e of events) {
    const id = deliveryId(e.source, e.incidentKey);
    if (!firstSeen.has(id)) firstSeen.set(id, e.occurredAt);
  }
  for (const chunk of chunks(pairs)) {
    const incidents = () =>
      tx('incidents').whereIn(['source', 'incident_key'], chunk);
    const counted: CountedIncidentRow[] = await incidents()
      .whereNotNull('duration_bin')
      .select(COUNTED_INCIDENT_COLUMNS);

    // Placeholder rows for new incidents; every column is recomputed below.
    await tx('incidents')
      .insert(
        chunk.map(([source, incidentKey]) => {
          const at = firstSeen.get(deliveryId(source, incidentKey))!;
          return {
            id: randomUUID(),
            source,
            incident_key: incidentKey,
            started_at: at,
            started_at_ms: at.getTime(),
            baseline: source === 'baseline',
          };
        }),
      )
      .onConflict(['source', 'incident_key'])
      .ignore();

    await incidents().update({
      started_at_ms: tx.raw(
        `COALESCE(
          (SELECT MIN(e.occurred_at_ms) FROM incident_events e
            WHERE ${SAME_INCIDENT} AND e.type = 'triggered'),
          (SELECT MIN(e.occurred_at_ms) FROM incident_events e
            WHERE ${SAME_INCIDENT}))`,
      ),
      resolved_at_ms: tx.raw(
        `(SELECT CASE
            WHEN ${LAST_RESOLVED} IS NOT NULL
             AND (${LAST_OPENED} IS NULL OR ${LAST_OPENED} <= ${LAST_RESOLVED})
            THEN ${LAST_RESOLVED} END
          FROM incident_events e WHERE ${SAME_INCIDENT})`,
      ),
      entity_ref: tx.raw(latestNonNull('entity_ref')),
      team_ref: tx.raw(latestNonNull('team_ref')),
      severity: tx.raw(latestNonNull('severity')),
      title: tx.raw(latestNonNull('title')),
      url: tx.raw(latestNonNull('url')),
    });
    // The readable timestamps follow the millisecond columns just set.
    const eventAt = (column: string) =>
      tx.raw(`(SELECT e.occurred_at FROM incident_events e
        WHERE ${SAME_INCIDENT} AND e.occurred_at_ms = incidents.${column} LIMIT 1)`);
    const current: CountedIncidentRow[] = await incidents()
      .update({
        started_at: eventAt('started_at_ms'),
        resolved_at: eventAt('resolved_at_ms'),
      })
      .returning(COUNTED_INCIDENT_COLUMNS);
    await countIncidentDurations(tx, counted, current);
  }
}
