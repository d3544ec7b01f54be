import { randomUUID } from 'node:crypto';
import type { AttributedRecord, ServiceRequestRow } from '../MetricsStore';
import { checkedRow } from './checkedRow';
import { dateFromEpochMs, epochMs } from './epochMs';
import { templateName } from './templateName';

/** The `service_requests` columns of a {@link ServiceRequestRow}. */
export const SERVICE_REQUEST_COLUMNS = [
  'id',
  'source',
  'entity_ref',
  'team_ref',
  'template',
  'template_version',
  'requested_at_ms',
  'ready_at_ms',
  'observability_verified',
  'ticket_id',
  'baseline',
];

export function serviceRequestToRow(
  record: Extract<AttributedRecord, { kind: 'service-request' }>,
) {
  const baseline = record.source === 'baseline';
  // Ticket-era requests carry when they reached production; live ones get it
  // from the deployments (recomputeReadiness).
  const readyAt = baseline ? record.inProductionAt ?? null : null;
  return checkedRow({
    id: randomUUID(),
    source: record.source,
    delivery_key: record.deliveryKey,
    entity_ref: record.entityRef,
    team_ref: record.team ?? record.attribution.teamRef ?? null,
    template: record.template ?? null,
    template_name: templateName(record.template),
    template_version: record.templateVersion ?? null,
    requested_at: record.requestedAt,
    requested_at_ms: epochMs(record.requestedAt, 'request time'),
    ready_at: readyAt,
    ready_at_ms: readyAt ? epochMs(readyAt, 'production time') : null,
    observability_verified: false,
    ticket_id: record.ticketId ?? null,
    baseline,
  });
}

export function serviceRequestFromRow(
  row: Record<string, any>,
): ServiceRequestRow {
  return {
    id: row.id,
    source: row.source,
    entityRef: row.entity_ref,
    teamRef: row.team_ref,
    template: row.template,
    templateVersion: row.template_version,
    requestedAt: dateFromEpochMs(row.requested_at_ms)!,
    readyAt: dateFromEpochMs(row.ready_at_ms),
    observabilityVerified: Boolean(row.observability_verified),
    ticketId: row.ticket_id,
    baseline: Boolean(row.baseline),
  };
}
