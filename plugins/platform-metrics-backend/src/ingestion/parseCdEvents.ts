import { InputError } from '@backstage/errors';
import { z } from 'zod';
import {
  fieldError,
  joinPath,
  parseOrThrow,
} from '@internal/plugin-platform-metrics-node';
import {
  asEntityRef,
  isPlainObject,
  imageDigestFromPackageUrl,
  isProductionEnvironment,
  nameFromPackageUrl,
  nonEmptyString,
  ParseResult,
  pipelineDeclarationsSchema,
  serviceFromId,
  timestampSchema,
} from './parseHelpers';
import type {
  DeploymentRecord,
  IncidentEventRecord,
  IngestRecord,
  ServiceReference,
  ServiceRequestRecord,
} from './types';

export type { ParseResult } from './parseHelpers';

/** The most events one request may carry. */
export const MAX_CDEVENTS_BATCH = 1000;

const WHAT = 'CDEvents payload';

/**
 * `0.x` versions only: CDEvents bumps the major version on breaking changes. Pre-release
 * suffixes such as `0.3.0-draft`, which the spec's own examples carry, are accepted.
 */
const SUPPORTED_VERSION = /^0\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

type Builder = (
  event: unknown,
  path: string,
  fallbackId?: string,
) => IngestRecord;

interface EventType {
  prefix: string;
  build: Builder;
}

// ---------------------------------------------------------------------------
// Schemas: only the fields we read; everything else in an event is left alone.

const contextSchema = z.object({
  // Required for a bare CDEvent; inside a CloudEvent the envelope id stands in.
  id: nonEmptyString.nullish(),
  type: nonEmptyString,
  timestamp: timestampSchema,
});

const headSchema = z.object({
  context: z.object({ type: nonEmptyString }),
});

const serviceEventSchema = z.object({
  context: contextSchema,
  subject: z.object({
    id: nonEmptyString,
    content: z.object({
      environment: z.object({ id: nonEmptyString }),
      artifactId: z.string().nullish(),
    }),
  }),
  customData: z.unknown().optional(),
});

const incidentEventSchema = z.object({
  context: contextSchema,
  subject: z.object({
    id: nonEmptyString,
    content: z
      .object({
        description: z.string().nullish(),
        service: z.object({ id: nonEmptyString }).nullish(),
        artifactId: z.string().nullish(),
        ticketURI: z.string().nullish(),
      })
      .nullish(),
  }),
  customData: z.unknown().optional(),
});

const incidentCustomDataSchema = z.object({
  severity: nonEmptyString.nullish(),
});

const ENTITY_REF_MESSAGE =
  'expected an entity ref like component:default/payments';

const serviceRequestEventSchema = z.object({
  context: contextSchema,
  subject: z.object({
    content: z.object({
      entityRef: z
        .string({
          error: issue =>
            issue.input === undefined ? 'required' : ENTITY_REF_MESSAGE,
        })
        .refine(value => asEntityRef(value) !== undefined, {
          error: ENTITY_REF_MESSAGE,
        })
        .transform(value => asEntityRef(value) as string),
      team: z
        .string()
        .refine(
          value => asEntityRef(value, { defaultKind: 'group' }) !== undefined,
          { error: 'expected a group ref like group:default/team-a' },
        )
        .transform(value => asEntityRef(value, { defaultKind: 'group' }))
        .nullish(),
      template: nonEmptyString.nullish(),
      templateVersion: nonEmptyString.nullish(),
    }),
  }),
});

const cloudEventSchema = z.object({
  specversion: z.literal('1.0'),
  id: nonEmptyString,
  source: nonEmptyString,
  type: nonEmptyString,
});

// ---------------------------------------------------------------------------
// Builders

function deliveryKeyOf(
  context: { id?: string | null },
  path: string,
  fallbackId?: string,
): string {
  const key = context.id ?? fallbackId;
  if (!key) {
    fieldError(WHAT, joinPath(joinPath(path, 'context'), 'id'), 'required');
  }
  return key;
}

/**
 * A service event's deployment. The image digest comes from `artifactId` when it
 * pins one (`pkg:oci/<name>@sha256:<hex>?repository_url=<image>`), else from
 * `customData.imageDigest`. The run that sent it is `customData.pipelineId`, else
 * the event's id: every CDEvent comes from a pipeline, and the golden path's
 * report-deployment.sh sets `context.id` to `<repository>/<run id>/<attempt>`.
 */
function serviceEvent(outcome: DeploymentRecord['outcome']): Builder {
  return (event, path, fallbackId) => {
    const parsed = parseOrThrow(serviceEventSchema, event, WHAT, path);
    const environment = parsed.subject.content.environment.id;
    const deliveryKey = deliveryKeyOf(parsed.context, path, fallbackId);
    const record: DeploymentRecord = {
      kind: 'deployment',
      source: 'cdevents',
      deliveryKey,
      service: serviceFromId(parsed.subject.id),
      environment,
      production: isProductionEnvironment(environment),
      outcome,
      occurredAt: parsed.context.timestamp,
      pipelineId: deliveryKey,
    };
    const artifactId = parsed.subject.content.artifactId;
    const digest = artifactId && imageDigestFromPackageUrl(artifactId);
    if (digest) record.imageDigest = digest;
    // customData may be any JSON value, or a string in another content type: only an
    // object can carry our declarations.
    if (isPlainObject(parsed.customData)) {
      const declared = parseOrThrow(
        pipelineDeclarationsSchema,
        parsed.customData,
        WHAT,
        joinPath(path, 'customData'),
      );
      if (declared.goldenPath) record.goldenPath = declared.goldenPath;
      if (declared.imageDigest && !record.imageDigest) {
        record.imageDigest = declared.imageDigest;
      }
      if (declared.pipelineId !== undefined) {
        record.pipelineId = declared.pipelineId;
      }
      if (
        declared.observability !== null &&
        declared.observability !== undefined
      ) {
        record.observabilityDeclared = declared.observability;
      }
    }
    return record;
  };
}

function incidentEvent(type: IncidentEventRecord['type']): Builder {
  return (event, path, fallbackId) => {
    const parsed = parseOrThrow(incidentEventSchema, event, WHAT, path);
    const content = parsed.subject.content;
    const record: IncidentEventRecord = {
      kind: 'incident',
      source: 'cdevents',
      deliveryKey: deliveryKeyOf(parsed.context, path, fallbackId),
      incidentKey: parsed.subject.id,
      type,
      occurredAt: parsed.context.timestamp,
    };
    let service: ServiceReference | undefined;
    if (content?.service) {
      service = serviceFromId(content.service.id);
    } else if (content?.artifactId) {
      const name =
        nameFromPackageUrl(content.artifactId) ?? content.artifactId.trim();
      if (name) service = serviceFromId(name);
    }
    if (service) record.service = service;
    if (content?.description) record.title = content.description;
    if (content?.ticketURI) record.url = content.ticketURI;
    if (isPlainObject(parsed.customData)) {
      const custom = parseOrThrow(
        incidentCustomDataSchema,
        parsed.customData,
        WHAT,
        joinPath(path, 'customData'),
      );
      if (custom.severity) record.severity = custom.severity;
    }
    return record;
  };
}

const serviceRequestEvent: Builder = (event, path, fallbackId) => {
  const parsed = parseOrThrow(serviceRequestEventSchema, event, WHAT, path);
  const content = parsed.subject.content;
  const record: ServiceRequestRecord = {
    kind: 'service-request',
    source: 'cdevents',
    deliveryKey: deliveryKeyOf(parsed.context, path, fallbackId),
    entityRef: content.entityRef,
    requestedAt: parsed.context.timestamp,
  };
  if (content.team) record.team = content.team;
  if (content.template) record.template = content.template;
  if (content.templateVersion) record.templateVersion = content.templateVersion;
  return record;
};

const EVENT_TYPES: EventType[] = [
  { prefix: 'dev.cdevents.service.deployed.', build: serviceEvent('success') },
  { prefix: 'dev.cdevents.service.upgraded.', build: serviceEvent('success') },
  {
    prefix: 'dev.cdevents.service.rolledback.',
    build: serviceEvent('rollback'),
  },
  {
    prefix: 'dev.cdevents.incident.detected.',
    build: incidentEvent('triggered'),
  },
  {
    prefix: 'dev.cdevents.incident.reported.',
    build: incidentEvent('triggered'),
  },
  {
    prefix: 'dev.cdevents.incident.resolved.',
    build: incidentEvent('resolved'),
  },
  // Our own extension: a developer asked the portal for a new service.
  {
    prefix: 'dev.cdeventsx.servicerequest.created.',
    build: serviceRequestEvent,
  },
];

/** The builder for a CDEvent type, or undefined when the type is not one we read. */
function builderFor(type: string, path: string): Builder | undefined {
  const known = EVENT_TYPES.find(t => type.startsWith(t.prefix));
  if (!known) return undefined;
  const version = type.slice(known.prefix.length);
  if (!SUPPORTED_VERSION.test(version)) {
    // A new major version may move the fields we read: say so rather than drop the
    // deployment or incident without a word.
    fieldError(
      WHAT,
      joinPath(joinPath(path, 'context'), 'type'),
      `unsupported version "${version}" of ${known.prefix.slice(
        0,
        -1,
      )} (0.x versions are accepted)`,
    );
  }
  return known.build;
}

// ---------------------------------------------------------------------------

function parseCdEvent(
  event: unknown,
  path: string,
  acc: ParseResult,
  fallbackId?: string,
): void {
  const head = parseOrThrow(headSchema, event, WHAT, path);
  const build = builderFor(head.context.type, path);
  if (!build) {
    acc.ignored += 1;
    return;
  }
  acc.records.push(build(event, path, fallbackId));
}

function parseElement(element: unknown, path: string, acc: ParseResult): void {
  if (!isPlainObject(element)) {
    fieldError(
      WHAT,
      path || 'body',
      'expected a CDEvent or a CloudEvent object',
    );
  }
  if (!('specversion' in element)) {
    parseCdEvent(element, path, acc);
    return;
  }
  // A CloudEvent in structured JSON mode, the CDEvent in `data`.
  const envelope = parseOrThrow(cloudEventSchema, element, WHAT, path);
  if (!envelope.type.startsWith('dev.cdevents')) {
    // A CloudEvent, but not a CDEvent (nor one of our dev.cdeventsx extensions).
    acc.ignored += 1;
    return;
  }
  const dataPath = joinPath(path, 'data');
  if (!isPlainObject(element.data)) {
    fieldError(
      WHAT,
      dataPath,
      element.data === undefined
        ? 'required'
        : 'expected the CDEvent as a JSON object (structured mode, not data_base64)',
    );
  }
  parseCdEvent(element.data, dataPath, acc, envelope.id);
}

/**
 * Reads CDEvents: one CDEvent (`{ context, subject, customData? }`), one CloudEvent in
 * structured JSON mode with the CDEvent in `data`, or an array of up to 1000 of either.
 *
 * Deployments come from `service.deployed|upgraded|rolledback`, incidents from
 * `incident.detected|reported|resolved`, service requests from our
 * `dev.cdeventsx.servicerequest.created` extension, each at any 0.x version. Other
 * CDEvents (pipeline runs, builds, …) are counted as `ignored`.
 *
 * Validation is all-or-nothing: one invalid event rejects the whole batch with an
 * `InputError` naming the field at fault (`events[2].context.timestamp: …`). A partial
 * accept would leave the sender unsure which events were stored; rejecting lets it fix
 * the event and resend the batch, and the store's idempotency on `(source, deliveryKey)`
 * makes resending the events that were fine harmless.
 */
export function parseCdEvents(body: unknown): ParseResult {
  const acc: ParseResult = { records: [], ignored: 0 };
  if (Array.isArray(body)) {
    if (body.length > MAX_CDEVENTS_BATCH) {
      throw new InputError(
        `Invalid ${WHAT}: events: at most ${MAX_CDEVENTS_BATCH} events per request, got ${body.length}`,
      );
    }
    body.forEach((element, index) =>
      parseElement(element, `events[${index}]`, acc),
    );
    return acc;
  }
  parseElement(body, '', acc);
  return acc;
}
