import { z } from 'zod';
import type { CheckTarget } from '../ServiceCheck';
import { getJson } from '../network/getJson';
import { quoteLabelValue } from '../prometheus/quoteLabelValue';
import type { LogsBackend, RecentLinesAnswer } from './LogsBackend';

const streamsResponse = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('streams'),
    result: z.array(
      z.object({
        stream: z.record(z.string(), z.string()),
        values: z.array(z.tuple([z.string().regex(/^\d+$/), z.string()])),
      }),
    ),
  }),
});

export interface LokiLogsBackendOptions {
  baseUrl: string;
  headers: Record<string, string>;
  /** Sent as `X-Scope-OrgID` to a multi-tenant Loki. */
  tenant?: string;
  /**
   * The stream label holding the service name. Fluent Bit takes it from the
   * pod annotation `logging.acme.example/service` the golden path sets (the
   * runbooks filter logs on `service="<name>"` too).
   */
  serviceLabel: string;
  timeoutMs: number;
  maxResponseBytes: number;
}

/**
 * Asks Loki (`GET /loki/api/v1/query_range`) for the newest line of the
 * service's streams: `{service="<kubernetes-id>"}`, limit 1, newest first.
 */
export class LokiLogsBackend implements LogsBackend {
  private constructor(private readonly options: LokiLogsBackendOptions) {}

  static create(options: LokiLogsBackendOptions): LokiLogsBackend {
    return new LokiLogsBackend(options);
  }

  get name(): string {
    return `Loki at ${this.options.baseUrl}`;
  }

  async hasRecentLines(
    target: CheckTarget,
    since: Date,
    { signal }: { signal: AbortSignal },
  ): Promise<RecentLinesAnswer> {
    const { options } = this;
    const query = `{${options.serviceLabel}=${quoteLabelValue(
      target.kubernetesId,
    )}}`;
    const url = new URL(`${options.baseUrl}/loki/api/v1/query_range`);
    url.searchParams.set('query', query);
    url.searchParams.set('start', `${BigInt(since.getTime()) * 1_000_000n}`);
    url.searchParams.set('limit', '1');
    url.searchParams.set('direction', 'backward');
    const answer = await getJson({
      backend: this.name,
      url,
      headers: {
        ...options.headers,
        ...(options.tenant ? { 'x-scope-orgid': options.tenant } : {}),
      },
      schema: streamsResponse,
      signal,
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxResponseBytes,
    });
    if (!answer.ok) return answer;
    const newestNs = answer.value.data.result
      .flatMap(stream => stream.values.map(([ns]) => BigInt(ns)))
      .reduce<bigint | undefined>(
        (newest, ns) => (newest === undefined || ns > newest ? ns : newest),
        undefined,
      );
    return {
      ok: true,
      query,
      latestLineAt:
        newestNs === undefined
          ? undefined
          : new Date(Number(newestNs / 1_000_000n)),
    };
  }
}
