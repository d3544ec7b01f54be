import type { AttributedRecord, IncidentRow } from '../MetricsStore';
import { checkedRow } from './checkedRow';
import { dateFromEpochMs, epochMs } from './epochMs';

/** The `incidents` columns of an {@link IncidentRow}. */
export const INCIDENT_COLUMNS = [
  'id',
  'source',
  'incident_key',
  'entity_ref',
  'team_ref',
  'severity',
  'title',
  'url',
  'started_at_ms',
  'resolved_at_ms',
  'baseline',
];

/** An `incident_events` row; the `incidents` rows are recomputed from them. */
export function incidentEventToRow(
  record: Extract<AttributedRecord, { kind: 'incident' }>,
) {
  return checkedRow({
    source: record.source,
    delivery_key: record.deliveryKey,
    incident_key: record.incidentKey,
    type: record.type,
    occurred_at: record.occurredAt,
    occurred_at_ms: epochMs(record.occurredAt, 'incident event time'),
    entity_ref: record.attribution.entityRef ?? null,
    team_ref: record.attribution.teamRef ?? null,
    severity: record.severity ?? null,
    title: record.title ?? null,
    url: record.url ?? null,
  });
}

export function incidentFromRow(row: Record<string, any>): IncidentRow {
  return {
    id: row.id,
    source: row.source,
    incidentKey: row.incident_key,
    entityRef: row.entity_ref,
    teamRef: row.team_ref,
    severity: row.severity,
    title: row.title,
    url: row.url,
    startedAt: dateFromEpochMs(row.started_at_ms)!,
    resolvedAt: dateFromEpochMs(row.resolved_at_ms),
    baseline: Boolean(row.baseline),
  };
}
