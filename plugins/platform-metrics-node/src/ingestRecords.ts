/**
 * What every ingestion source is reduced to before it is stored. Parsers (one per
 * source) produce these; the store keeps them idempotently. Shared with modules of
 * the plugin, which write records through its extension points.
 */

/**
 * Where an event came from; with `deliveryKey`, the idempotency key. The id of an
 * ingestion source (`github`, `opsgenie`...), or `cdevents`, `baseline` or `demo`
 * for the plugin's own API, imports and demo history.
 */
export type IngestSource = string;

/** A catalog annotation and the value that identifies a service by it. */
export interface AnnotationMatch {
  key: string;
  value: string;
}

/**
 * How an event names its service. Attribution resolves it to a catalog entity:
 * an explicit entity ref wins, then an annotation match, then a component name.
 */
export interface ServiceReference {
  /** e.g. `component:default/payments` */
  entityRef?: string;
  /**
   * Annotation that identifies the service, e.g. `github.com/project-slug` =
   * `acme/payments`; or several candidates, tried in order (an alert's tags, then
   * its team). A value that several components carry names only the Group that
   * owns them all, if one does.
   */
  annotation?: AnnotationMatch | AnnotationMatch[];
  /** A bare component name, e.g. from a CDEvent `subject.id` that is not a ref. */
  name?: string;
}

export interface DeploymentRecord {
  kind: 'deployment';
  source: IngestSource;
  /** Unique per source: the CDEvent id, or the webhook delivery id. */
  deliveryKey: string;
  service: ServiceReference;
  environment: string;
  production: boolean;
  outcome: 'success' | 'failure' | 'rollback';
  occurredAt: Date;
  /** Set when the deploying pipeline is a golden path. */
  goldenPath?: { template: string; version: string };
  /** CI run, deployment id or similar, for drill-down. */
  pipelineId?: string;
  /** OCI digest of the deployed image (`sha256:<64 hex>`), when the pipeline reported it. */
  imageDigest?: string;
  /** The pipeline declared alerts, logs, TLS and DNS (golden-path pipelines do). */
  observabilityDeclared?: boolean;
}

export type IncidentEventType =
  | 'triggered'
  | 'acknowledged'
  | 'resolved'
  | 'reopened';

export interface IncidentEventRecord {
  kind: 'incident';
  source: IngestSource;
  deliveryKey: string;
  /** Stable id of the incident in its source (PagerDuty incident id, alert fingerprint). */
  incidentKey: string;
  type: IncidentEventType;
  occurredAt: Date;
  service?: ServiceReference;
  severity?: string;
  title?: string;
  url?: string;
  /** Owning Group ref, when the source names it (imported baseline rows do). */
  team?: string;
}

export interface ServiceRequestRecord {
  kind: 'service-request';
  source: IngestSource;
  deliveryKey: string;
  /** The requested service's entity ref. */
  entityRef: string;
  /** Owning Group ref, when the request names it. */
  team?: string;
  template?: string;
  templateVersion?: string;
  requestedAt: Date;
  /** Imported ticket-era requests carry their ticket and when they reached production. */
  ticketId?: string;
  inProductionAt?: Date;
}

export type IngestRecord =
  | DeploymentRecord
  | IncidentEventRecord
  | ServiceRequestRecord;

/** The catalog entity and owning Group an event was attributed to; null when unknown. */
export interface Attribution {
  entityRef: string | null;
  teamRef: string | null;
}

/** A record with its attribution decided, as the store keeps it. */
export type AttributedRecord = IngestRecord & { attribution: Attribution };
