import type { z } from 'zod';
import { httpGet } from './httpGet';
import { describeAbort, withDeadline } from './withDeadline';

export type JsonAnswer<T> =
  | { ok: true; value: T }
  /** Why no answer was had, in words naming the backend. */
  | { ok: false; detail: string };

/**
 * GET a JSON document from a trusted backend configured by the platform team
 * (Prometheus, Loki), bounded in time and size and checked against the
 * documented shape. Never rejects.
 */
export async function getJson<T>(options: {
  /** Names the backend in the detail: "Prometheus at http://prom:9090". */
  backend: string;
  url: URL;
  headers: Record<string, string>;
  schema: z.ZodType<T>;
  signal: AbortSignal;
  timeoutMs: number;
  maxResponseBytes: number;
}): Promise<JsonAnswer<T>> {
  const { backend, timeoutMs, maxResponseBytes } = options;
  const signal = withDeadline(options.signal, timeoutMs);
  const response = await httpGet({
    url: options.url,
    headers: { accept: 'application/json', ...options.headers },
    signal,
    maxResponseBytes,
  });
  if (response.kind === 'error') {
    return {
      ok: false,
      detail:
        response.reason === 'aborted'
          ? `${backend} ${describeAbort(signal, timeoutMs)}.`
          : `${backend} could not be reached (${
              response.code ?? response.message
            }).`,
    };
  }
  if (response.truncated) {
    return {
      ok: false,
      detail: `${backend} answered more than ${maxResponseBytes} bytes, so the answer was cut; raise platformMetrics.checks.maxResponseBytes.`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(response.body.toString('utf8'));
  } catch {
    json = undefined;
  }
  if (response.status < 200 || response.status >= 300) {
    // Prometheus and Loki put the reason in `error`; proxies and Loki's
    // tenant check answer plain text.
    const error = (json as { error?: unknown } | undefined)?.error;
    let reason = typeof error === 'string' ? error : '';
    if (json === undefined) reason = response.body.toString('utf8').trim();
    return {
      ok: false,
      detail: `${backend} answered ${response.status}${
        reason ? `: ${reason.slice(0, 200)}` : ''
      }.`,
    };
  }
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      detail: `${backend} answered ${
        response.status
      } with JSON not in the documented shape (${parsed.error.issues
        .slice(0, 2)
        .map(issue => `${issue.path.join('.') || 'body'}: ${issue.message}`)
        .join('; ')}).`,
    };
  }
  return { ok: true, value: parsed.data };
}
