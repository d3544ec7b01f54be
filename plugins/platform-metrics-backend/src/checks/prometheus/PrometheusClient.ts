import { z } from 'zod';
import { getJson, type JsonAnswer } from '../network/getJson';

const vectorResponse = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(
      z.object({
        metric: z.record(z.string(), z.string()),
        value: z.tuple([z.number(), z.string()]),
      }),
    ),
  }),
});

const rulesResponse = z.object({
  status: z.literal('success'),
  data: z.object({
    groups: z.array(
      z.object({
        name: z.string(),
        rules: z.array(
          z.object({
            name: z.string(),
            type: z.string(),
            health: z.string(),
            lastError: z.string().optional(),
            state: z.string().optional(),
          }),
        ),
      }),
    ),
  }),
});

export type VectorSample = z.output<
  typeof vectorResponse
>['data']['result'][number];
export type RuleGroup = z.output<
  typeof rulesResponse
>['data']['groups'][number];

/**
 * The two Prometheus HTTP API calls the checks make, with the checks' time and
 * size bounds. The base URL comes from config, not from catalog data.
 */
export class PrometheusClient {
  private constructor(
    private readonly options: {
      baseUrl: string;
      headers: Record<string, string>;
      timeoutMs: number;
      maxResponseBytes: number;
    },
  ) {}

  static create(options: {
    baseUrl: string;
    headers: Record<string, string>;
    timeoutMs: number;
    maxResponseBytes: number;
  }): PrometheusClient {
    return new PrometheusClient(options);
  }

  get name(): string {
    return `Prometheus at ${this.options.baseUrl}`;
  }

  /** `GET /api/v1/query`: the instant vector of `promql`. */
  async instantQuery(
    promql: string,
    signal: AbortSignal,
  ): Promise<JsonAnswer<VectorSample[]>> {
    const url = new URL(`${this.options.baseUrl}/api/v1/query`);
    url.searchParams.set('query', promql);
    const answer = await this.get(url, vectorResponse, signal);
    return answer.ok ? { ok: true, value: answer.value.data.result } : answer;
  }

  /**
   * `GET /api/v1/rules` for the alerting rule group `groupName`. Prometheus
   * 2.46 and later filter by `rule_group[]` themselves; older ones send every
   * group, so the caller still picks the group by name.
   */
  async alertingRuleGroups(
    groupName: string,
    signal: AbortSignal,
  ): Promise<JsonAnswer<RuleGroup[]>> {
    const url = new URL(`${this.options.baseUrl}/api/v1/rules`);
    url.searchParams.set('type', 'alert');
    url.searchParams.append('rule_group[]', groupName);
    const answer = await this.get(url, rulesResponse, signal);
    return answer.ok ? { ok: true, value: answer.value.data.groups } : answer;
  }

  private get<T>(url: URL, schema: z.ZodType<T>, signal: AbortSignal) {
    return getJson({
      backend: this.name,
      url,
      headers: this.options.headers,
      schema,
      signal,
      timeoutMs: this.options.timeoutMs,
      maxResponseBytes: this.options.maxResponseBytes,
    });
  }
}
