import { z } from 'zod';
import { parseOrThrow } from '@internal/plugin-platform-metrics-node';
import { nonEmptyString, ParseResult, timestampSchema } from './parseHelpers';
import type { IncidentEventRecord } from './types';

/** The catalog annotation that names a PagerDuty service by its id. */
export const PAGERDUTY_SERVICE_ID_ANNOTATION = 'pagerduty.com/service-id';

const WHAT = 'PagerDuty webhook';

// A Map, not an object literal: an event type such as `constructor` must not find
// Object.prototype's members.
const EVENT_TYPES = new Map<string, IncidentEventRecord['type']>([
  ['incident.triggered', 'triggered'],
  ['incident.acknowledged', 'acknowledged'],
  ['incident.resolved', 'resolved'],
  ['incident.reopened', 'reopened'],
]);

const headSchema = z.object({
  event: z.object({
    id: nonEmptyString,
    event_type: nonEmptyString,
  }),
});

const incidentSchema = z.object({
  event: z.object({
    id: nonEmptyString,
    event_type: nonEmptyString,
    occurred_at: timestampSchema,
    data: z.object({
      id: nonEmptyString,
      html_url: z.string().nullish(),
      title: z.string().nullish(),
      service: z.object({ id: nonEmptyString }).nullish(),
      priority: z.object({ summary: z.string().nullish() }).nullish(),
      urgency: z.string().nullish(),
    }),
  }),
});

/**
 * Reads a PagerDuty v3 webhook. `incident.triggered|acknowledged|resolved|reopened`
 * become incident events keyed by the incident id; every other event type
 * (`incident.annotated`, `incident.priority_updated`, `service.updated`, `pagey.ping`,
 * …) is counted as `ignored`.
 *
 * The service is `pagerduty.com/service-id` = `data.service.id`; the severity is the
 * incident's priority (`P1`) when it has one, else its urgency (`high`).
 *
 * @param webhookId - the `X-Webhook-Id` header: PagerDuty repeats it on every retry of a
 *   delivery. Without it, `event.id` is the key.
 */
export function parsePagerDutyWebhook(
  body: unknown,
  webhookId?: string,
): ParseResult {
  const head = parseOrThrow(headSchema, body, WHAT);
  const type = EVENT_TYPES.get(head.event.event_type);
  if (!type) {
    return { records: [], ignored: 1 };
  }
  const { event } = parseOrThrow(incidentSchema, body, WHAT);
  const incident = event.data;
  const record: IncidentEventRecord = {
    kind: 'incident',
    source: 'pagerduty',
    deliveryKey: webhookId?.trim() || event.id,
    incidentKey: incident.id,
    type,
    occurredAt: event.occurred_at,
  };
  if (incident.service) {
    record.service = {
      annotation: {
        key: PAGERDUTY_SERVICE_ID_ANNOTATION,
        value: incident.service.id,
      },
    };
  }
  const severity =
    incident.priority?.summary?.trim() || incident.urgency?.trim();
  if (severity) record.severity = severity;
  if (incident.title) record.title = incident.title;
  if (incident.html_url) record.url = incident.html_url;
  return { records: [record], ignored: 0 };
}
