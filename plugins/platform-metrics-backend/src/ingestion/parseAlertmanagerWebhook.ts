import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  fieldError,
  parseOrThrow,
} from '@internal/plugin-platform-metrics-node';
import {
  asEntityRef,
  nonEmptyString,
  ParseResult,
  timestampSchema,
} from './parseHelpers';
import type { IncidentEventRecord, ServiceReference } from './types';

/** The catalog annotation that names a service's Kubernetes workloads. */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';

const WHAT = 'Alertmanager webhook';

const labelsSchema = z.record(z.string(), z.string());

const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelsSchema,
  annotations: labelsSchema.nullish(),
  startsAt: timestampSchema,
  // Alertmanager sends 0001-01-01T00:00:00Z for an alert that is still firing.
  endsAt: timestampSchema,
  generatorURL: z.string().nullish(),
  // Absent before Alertmanager 0.19 (prometheus/alertmanager#1945); see fingerprintOf.
  fingerprint: nonEmptyString.optional(),
});

const payloadSchema = z.object({
  version: z.literal('4'),
  alerts: z.array(alertSchema),
});

type Alert = z.output<typeof alertSchema>;

function firstLabel(
  labels: Record<string, string>,
  names: string[],
): string | undefined {
  for (const name of names) {
    const value = labels[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/**
 * `backstage_entity` (or `entity`) names the entity, as a ref or a bare name; `service`,
 * `app` or `app_kubernetes_io_name` match `backstage.io/kubernetes-id`. An alert may
 * carry both: attribution prefers the ref.
 */
function serviceOf(
  labels: Record<string, string>,
): ServiceReference | undefined {
  const service: ServiceReference = {};
  const entity = firstLabel(labels, ['backstage_entity', 'entity']);
  if (entity) {
    const entityRef = asEntityRef(entity);
    if (entityRef) service.entityRef = entityRef;
    else service.name = entity;
  }
  const kubernetesId = firstLabel(labels, [
    'service',
    'app',
    'app_kubernetes_io_name',
  ]);
  if (kubernetesId) {
    service.annotation = { key: KUBERNETES_ID_ANNOTATION, value: kubernetesId };
  }
  return Object.keys(service).length > 0 ? service : undefined;
}

/**
 * The alert's own fingerprint, or one derived from its labels when Alertmanager
 * predates 0.19 and sends none. Alertmanager identifies an alert by its label set
 * alone, so the labels, sorted by name, identify it here too: the firing and the
 * resolved notification of one alert get the same fingerprint and pair into one
 * incident, whatever order the sender wrote the labels in. A SHA-256 (64 hex
 * digits) cannot be mistaken for one of Alertmanager's own 16-digit fingerprints.
 */
function fingerprintOf(alert: Alert): string {
  if (alert.fingerprint) return alert.fingerprint;
  const sortedLabels = Object.keys(alert.labels)
    .sort()
    .map(name => [name, alert.labels[name]]);
  return createHash('sha256')
    .update(JSON.stringify(sortedLabels))
    .digest('hex');
}

function toRecord(alert: Alert, index: number): IncidentEventRecord {
  const startsAt = alert.startsAt.toISOString();
  const resolved = alert.status === 'resolved';
  if (resolved && alert.endsAt.getUTCFullYear() <= 1) {
    fieldError(
      WHAT,
      `alerts[${index}].endsAt`,
      'expected the time a resolved alert ended',
    );
  }
  // Keyed on when this firing began: after a resolution, a re-fire of the same alert
  // (same fingerprint) is a new incident.
  const incidentKey = `${fingerprintOf(alert)}:${startsAt}`;
  const record: IncidentEventRecord = {
    kind: 'incident',
    source: 'alertmanager',
    // Alertmanager repeats notifications (repeat_interval, HA peers): the same alert in
    // the same state is the same event.
    deliveryKey: `alertmanager:${incidentKey}:${alert.status}`,
    incidentKey,
    type: resolved ? 'resolved' : 'triggered',
    occurredAt: resolved ? alert.endsAt : alert.startsAt,
  };
  const service = serviceOf(alert.labels);
  if (service) record.service = service;
  const severity = alert.labels.severity?.trim();
  if (severity) record.severity = severity;
  const alertname = alert.labels.alertname?.trim();
  const summary = alert.annotations?.summary?.trim();
  const title = [alertname, summary].filter(Boolean).join(': ');
  if (title) record.title = title;
  if (alert.generatorURL) record.url = alert.generatorURL;
  return record;
}

/**
 * Reads an Alertmanager webhook (payload version 4). Each alert in the group becomes one
 * incident event: `triggered` at `startsAt` while firing, `resolved` at `endsAt`.
 *
 * Timestamps in the keys are normalised to ISO 8601 UTC with millisecond precision
 * (`2018-08-03T07:52:26.739Z`), so replicas that format the same instant differently
 * still produce the same keys.
 */
export function parseAlertmanagerWebhook(body: unknown): ParseResult {
  const payload = parseOrThrow(payloadSchema, body, WHAT);
  return {
    records: payload.alerts.map((alert, index) => toRecord(alert, index)),
    ignored: 0,
  };
}
