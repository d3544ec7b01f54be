import http from 'node:http';
import client from 'prom-client';
import { log, traceFields, type Write } from './logger.ts';

const SERVICE = process.env.SERVICE_NAME ?? '${{ values.name }}';

type RouteResult = [status: number, contentType: string, body: string];
type Route = () => Promise<RouteResult>;

export interface AppOptions {
  write?: Write;
}

/** The HTTP server, plus the switch that starts draining it on shutdown. */
export type App = http.Server & { drain(): void };

export function createApp({ write }: AppOptions = {}): App {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service: SERVICE });
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route, method and status code',
    labelNames: ['route', 'method', 'code'] as const,
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['route', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  let ready = true;
  const routes: Partial<Record<string, Route>> = {
    '/healthz': async () => [200, 'application/json', '{"status":"ok"}'],
    '/readyz': async () =>
      ready
        ? [200, 'application/json', '{"status":"ready"}']
        : [503, 'application/json', '{"status":"shutting down"}'],
    '/metrics': async () => [200, registry.contentType, await registry.metrics()],
    '/': async () => [200, 'application/json', JSON.stringify({ service: SERVICE })],
  };

  const server = http.createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handler = routes[path];
    const route = handler ? path : 'unmatched';
    let status = 500;
    try {
      const [code, type, body]: RouteResult = handler
        ? await handler()
        : [404, 'application/json', '{"error":"not found"}'];
      status = code;
      res.writeHead(code, { 'content-type': type });
      res.end(body);
    } catch (error) {
      log('error', 'request failed', { error: String(error), ...traceFields(req.headers) }, write);
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"internal"}');
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requests.inc({ route, method, code: String(status) });
      duration.observe({ route, method }, seconds);
      if (route !== '/metrics' && route !== '/healthz' && route !== '/readyz') {
        log('info', 'request', {
          method,
          path,
          status,
          duration_ms: Math.round(seconds * 1000),
          ...traceFields(req.headers),
        }, write);
      }
    }
  });

  // Readiness fails first on shutdown so the load balancer drains the pod.
  return Object.assign(server, {
    drain(): void {
      ready = false;
    },
  });
}
