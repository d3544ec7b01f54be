import http from 'node:http';
import client from 'prom-client';
import { log, traceFields } from './logger.js';

const SERVICE = process.env.SERVICE_NAME ?? '${{ values.name }}';

export function createApp({ write } = {}) {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service: SERVICE });
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route, method and status code',
    labelNames: ['route', 'method', 'code'],
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['route', 'method'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  let ready = true;
  const routes = {
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
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes[path] ? path : 'unmatched';
    let status = 500;
    try {
      const [code, type, body] = routes[path]
        ? await routes[path]()
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
      requests.inc({ route, method: req.method, code: String(status) });
      duration.observe({ route, method: req.method }, seconds);
      if (route !== '/metrics' && route !== '/healthz' && route !== '/readyz') {
        log('info', 'request', {
          method: req.method,
          path,
          status,
          duration_ms: Math.round(seconds * 1000),
          ...traceFields(req.headers),
        }, write);
      }
    }
  });

  // Readiness fails first on shutdown so the load balancer drains the pod.
  server.drain = () => {
    ready = false;
  };
  return server;
}
