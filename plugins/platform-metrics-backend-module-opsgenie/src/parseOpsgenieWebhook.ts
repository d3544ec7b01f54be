import { InputError } from '@backstage/errors';
import {
  type AnnotationMatch,
  type IncidentEventRecord,
  type IncidentEventType,
  parseOrThrow,
} from '@internal/plugin-platform-metrics-node';
import { z } from 'zod';

/** The id of this source: its route and the `source` of its records. */
export const OPSGENIE_SOURCE_ID = 'opsgenie';

/**
 * An Opsgenie alert search query on the component, as the Opsgenie Backstage
 * plugin reads it; `tag:"<tag>"` (or `tag:<tag>`) matches alerts with that tag.
 */
export const OPSGENIE_COMPONENT_SELECTOR_ANNOTATION =
  'opsgenie.com/component-selector';

/** The Opsgenie team (name or id) that is on call for the component. */
export const OPSGENIE_TEAM_ANNOTATION = 'opsgenie.com/team';

const WHAT = 'Opsgenie webhook';

// A Map, not an object literal: an action such as `constructor` must not find
// Object.prototype's members.
const ACTIONS = new Map<string, IncidentEventType>([
  ['Create', 'triggered'],
  ['Acknowledge', 'acknowledged'],
  ['Close', 'resolved'],
]);

/**
 * Opsgenie sends `createdAt` in milliseconds and `updatedAt` in nanoseconds since
 * the epoch. 10^17 ns is 1973, while 10^17 ms is beyond what a Date can hold, so
 * the magnitude tells the unit.
 */
const NANOSECONDS_FROM = 10n ** 17n;

const EPOCH_MESSAGE =
  'expected epoch milliseconds or nanoseconds, a whole number';

/** When something happened, and the integer Opsgenie sent for it, digit for digit. */
interface EpochTime {
  at: Date;
  exact: string;
}

/** An epoch time in ms or ns, as a number or (beyond 2^53) a bigint. */
const epochSchema = z
  .union([z.number().int().nonnegative(), z.bigint().nonnegative()], {
    error: issue => (issue.input === undefined ? 'required' : EPOCH_MESSAGE),
  })
  .transform((value, ctx): EpochTime => {
    const exact = BigInt(value);
    const ms = exact >= NANOSECONDS_FROM ? exact / 1_000_000n : exact;
    const at = new Date(Number(ms));
    if (Number.isNaN(at.getTime())) {
      ctx.issues.push({ code: 'custom', message: EPOCH_MESSAGE, input: value });
      return z.NEVER;
    }
    return { at, exact: exact.toString() };
  });

const nonEmptyString = z.string().trim().min(1);

const headSchema = z.object({ action: nonEmptyString });

const alertSchema = z.object({
  // Also the incident key, in a 255-character column beside a short suffix.
  alertId: nonEmptyString.max(200),
  message: z.string().nullish(),
  priority: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  /** Team ids. */
  teams: z.array(z.string()).nullish(),
  /** A team name, in payloads of alerts routed to one team. */
  team: z.string().nullish(),
  responders: z
    .array(
      z.object({
        type: z.string().nullish(),
        id: z.string().nullish(),
        name: z.string().nullish(),
      }),
    )
    .nullish(),
  createdAt: epochSchema,
  updatedAt: epochSchema.nullish(),
});

const createSchema = z.object({ action: nonEmptyString, alert: alertSchema });

/** An acknowledgement or closure happened when the alert was last updated. */
const updateSchema = z.object({
  action: nonEmptyString,
  alert: alertSchema.extend({ updatedAt: epochSchema }),
});

type Alert = z.output<typeof alertSchema>;

/**
 * Reads the body again from its bytes, keeping integers beyond 2^53 exact as
 * bigints: `updatedAt` is in nanoseconds, which a JSON number cannot hold.
 */
function parseExactJson(rawBody: Buffer): unknown {
  const keepBigIntegers = (
    _key: string,
    value: unknown,
    context?: { source?: string },
  ) =>
    typeof value === 'number' &&
    !Number.isSafeInteger(value) &&
    context?.source !== undefined &&
    /^\d+$/.test(context.source)
      ? BigInt(context.source)
      : value;
  try {
    return JSON.parse(
      rawBody.toString('utf8').replace(/^\uFEFF/, ''),
      keepBigIntegers as (key: string, value: unknown) => unknown,
    );
  } catch (error) {
    throw new InputError(`body: not valid JSON: ${error}`);
  }
}

/**
 * How the alert names its component: by a tag the component's
 * `opsgenie.com/component-selector` selects, else by the team in its
 * `opsgenie.com/team`. Candidates are tried in this order.
 */
function serviceCandidates(alert: Alert): AnnotationMatch[] {
  const selectors = (alert.tags ?? [])
    .map(tag => tag.trim())
    .filter(Boolean)
    .flatMap(tag => [`tag:"${tag}"`, `tag:${tag}`]);
  const teams = [
    ...(alert.responders ?? [])
      .filter(responder => responder.type === 'team')
      .flatMap(responder => [responder.name, responder.id]),
    alert.team,
    ...(alert.teams ?? []),
  ]
    .map(team => team?.trim())
    .filter((team): team is string => !!team);
  return [
    ...[...new Set(selectors)].map(value => ({
      key: OPSGENIE_COMPONENT_SELECTOR_ANNOTATION,
      value,
    })),
    ...[...new Set(teams)].map(value => ({
      key: OPSGENIE_TEAM_ANNOTATION,
      value,
    })),
  ];
}

function incidentEvent(
  alert: Alert,
  type: IncidentEventType,
  occurredAt: Date,
  deliveryKey: string,
): IncidentEventRecord {
  const record: IncidentEventRecord = {
    kind: 'incident',
    source: OPSGENIE_SOURCE_ID,
    deliveryKey,
    incidentKey: alert.alertId,
    type,
    occurredAt,
    service: { annotation: serviceCandidates(alert) },
  };
  const severity = alert.priority?.trim();
  if (severity) record.severity = severity;
  const title = alert.message?.trim();
  if (title) record.title = title;
  return record;
}

/** The alert's creation, keyed alike whichever delivery reports it. */
const triggered = (alert: Alert) =>
  incidentEvent(
    alert,
    'triggered',
    alert.createdAt.at,
    `${alert.alertId}:create`,
  );

/**
 * Reads an Opsgenie outgoing-webhook delivery. `Create`, `Acknowledge` and `Close`
 * become incident events of the alert (the incident key is `alert.alertId`);
 * other actions (`AddNote`, `UnAcknowledge`, `Delete`...) are counted as
 * `ignored`. The severity is the alert's priority (`P1`), the title its message.
 *
 * Every delivery says when the alert was created, so an acknowledgement or a
 * closure also stores the trigger, under the key the `Create` delivery uses: an
 * incident whose `Create` arrives late, or never, still has its start. A
 * redelivery of the same action is a duplicate; an alert acknowledged again after
 * being unacknowledged is a new acknowledgement.
 *
 * @param rawBody - the body's bytes, read again because `updatedAt` is in
 *   nanoseconds, beyond what a JSON number holds exactly.
 */
export function parseOpsgenieWebhook(rawBody: Buffer): {
  records: IncidentEventRecord[];
  ignored: number;
} {
  const body = parseExactJson(rawBody);
  const type = ACTIONS.get(parseOrThrow(headSchema, body, WHAT).action);
  if (!type) return { records: [], ignored: 1 };
  if (type === 'triggered') {
    const { alert } = parseOrThrow(createSchema, body, WHAT);
    return { records: [triggered(alert)], ignored: 0 };
  }
  const { alert } = parseOrThrow(updateSchema, body, WHAT);
  const { at, exact } = alert.updatedAt;
  const deliveryKey =
    type === 'resolved'
      ? `${alert.alertId}:close`
      : `${alert.alertId}:acknowledge:${exact}`;
  return {
    records: [triggered(alert), incidentEvent(alert, type, at, deliveryKey)],
    ignored: 0,
  };
}
