import type { RootConfigService } from '@backstage/backend-plugin-api';
import type { IngestRecord } from './ingestRecords';

/** A delivery to a source's route, as its source sees it. */
export interface PlatformMetricsIngestionRequest {
  /** A request header by case-insensitive name; repeated headers are joined with ", ". */
  header(name: string): string | undefined;
  /**
   * The body's bytes exactly as received. Signatures are computed over these, and
   * a parser that needs numbers beyond 2^53 reads them from here.
   */
  rawBody: Buffer;
  /**
   * The body parsed as JSON (an object or an array), already checked to be no
   * deeper than 64 levels and free of NUL characters.
   */
  body: unknown;
}

/** What a source makes of one delivery. */
export interface PlatformMetricsParseResult {
  /** The records to store, in the order they appeared. */
  records: IngestRecord[];
  /** Events that were well formed but are of no interest (other types, states or kinds). */
  ignored: number;
}

/**
 * How a source's sender proves itself, as the admin page describes it:
 * `signature` is an HMAC over the raw body, `token` a shared secret in a header.
 */
export type PlatformMetricsSourceAuthentication = 'signature' | 'token';

/**
 * A sender of deployments or incidents (GitHub, PagerDuty, Opsgenie...), served by
 * the platform-metrics plugin at `POST /api/platform-metrics/v1/webhooks/<id>`.
 *
 * The plugin checks the request's content type and query, parses the JSON body,
 * then calls {@link PlatformMetricsIngestionSource.authenticate} and
 * {@link PlatformMetricsIngestionSource.parse}, attributes the records to catalog
 * entities and stores them idempotently on (`source`, `deliveryKey`). A delivery
 * is answered 2xx only once its records are committed.
 */
export interface PlatformMetricsIngestionSource {
  /**
   * Lower-case letters, digits and "-". The route is `/v1/webhooks/<id>`; records
   * should carry it as their `source`.
   */
  id: string;
  /** The sender's name in messages and on the admin page, e.g. `GitHub`. */
  displayName: string;
  /** How to point the sender at the portal: settings, headers and the config key of its secret. */
  setup: string;
  authentication: PlatformMetricsSourceAuthentication;
  /**
   * The catalog annotations the records' `service.annotation` may name. The
   * plugin's catalog index holds exactly the annotations registered sources list.
   */
  attributionAnnotations: readonly string[];
  /**
   * Checks that the delivery comes from the configured sender, in constant time,
   * reading the secret from `config` on every call so that a reloaded secret
   * applies at once. Returns `not-configured` when there is no secret: the route
   * then answers 404, like an unknown one. Throws `AuthenticationError` (401),
   * naming the header, when the proof is missing or wrong.
   */
  authenticate(
    request: PlatformMetricsIngestionRequest,
    config: RootConfigService,
  ): 'authenticated' | 'not-configured';
  /**
   * Reads an authenticated delivery. Throws `InputError` (400) naming the field
   * at fault, so that a sender's delivery log says what to fix; events of no
   * interest are counted as `ignored` instead, since senders disable hooks that
   * keep failing.
   */
  parse(request: PlatformMetricsIngestionRequest): PlatformMetricsParseResult;
}
