// The production a portal's live checks look at, stood in for locally: every
// service's HTTPS `/readyz`, and a Prometheus and a Loki that know every
// service. They answer at once and healthy, so that a cycle measures the
// portal's own cost (probing, parsing, storing), not a real Prometheus's.
import http from 'node:http';
import https from 'node:https';

const listen = server =>
  new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => resolve(server.address().port)),
  );

function handle(server, counts) {
  return {
    counts,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * HTTPS on a free port of 127.0.0.1 with `certificate` (for `*.<domain>`),
 * answering `GET /readyz` 200 for any Host, 404 for anything else.
 */
export async function startReadyzServer(certificate) {
  const counts = { readyz: 0, other: 0, connections: 0, tlsHandshakes: 0 };
  const server = https.createServer(
    { key: certificate.key, cert: certificate.cert },
    (req, res) => {
      if (req.method === 'GET' && req.url === '/readyz') {
        counts.readyz++;
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      } else {
        counts.other++;
        res.writeHead(404).end();
      }
    },
  );
  // The tls check hangs up as soon as it has seen the chain, often before the
  // server has finished its side: it counts as a connection, not a handshake.
  server.on('connection', () => {
    counts.connections++;
  });
  server.on('secureConnection', () => {
    counts.tlsHandshakes++;
  });
  const port = await listen(server);
  return { port, ...handle(server, counts) };
}

const json = (res, body) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(body);

/** The one label matcher the checks send, e.g. `job` in `up{job="svc-1"}`. */
function labelValue(selector, label) {
  const match = new RegExp(`${label}="((?:[^"\\\\]|\\\\.)*)"`).exec(
    selector ?? '',
  );
  return match ? match[1].replace(/\\(.)/g, '$1') : undefined;
}

/**
 * HTTP on a free port of 127.0.0.1 answering, for every service, the three
 * calls the checks make, in the shapes Prometheus 2.x and Loki 2.x/3.x answer:
 * - `GET /api/v1/query?query=up{job="<id>"}`: one target of
 *   `<id>-production` with `up` = 1;
 * - `GET /api/v1/rules?type=alert&rule_group[]=<rule>.golden-path`: that group
 *   with the golden path's alerting rules, all `health: ok`;
 * - `GET /loki/api/v1/query_range?query={service="<id>"}`: one line a second ago.
 */
export async function startObservabilityServer() {
  const counts = { query: 0, rules: 0, logs: 0, other: 0 };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const nowS = Date.now() / 1000;
    if (url.pathname === '/api/v1/query') {
      counts.query++;
      const job = labelValue(url.searchParams.get('query'), 'job') ?? '';
      json(
        res,
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [
              {
                metric: {
                  __name__: 'up',
                  job,
                  namespace: `${job}-production`,
                  instance: '10.0.0.1:8080',
                },
                value: [nowS, '1'],
              },
            ],
          },
        }),
      );
    } else if (url.pathname === '/api/v1/rules') {
      counts.rules++;
      const groups = url.searchParams.getAll('rule_group[]').map(name => ({
        name,
        file: `/etc/prometheus/rules/${name}.yaml`,
        interval: 30,
        rules: ['Unavailable', 'HighErrorRate', 'HighLatency'].map(rule => ({
          name: `${name.replace(/\.golden-path$/, '')}${rule}`,
          query: 'vector(0) > 0',
          duration: 300,
          labels: { severity: 'page' },
          annotations: {},
          alerts: [],
          health: 'ok',
          type: 'alerting',
          state: 'inactive',
          evaluationTime: 0.0004,
          lastEvaluation: new Date().toISOString(),
        })),
      }));
      json(res, JSON.stringify({ status: 'success', data: { groups } }));
    } else if (url.pathname === '/loki/api/v1/query_range') {
      counts.logs++;
      const service = labelValue(url.searchParams.get('query'), 'service');
      const lineNs = `${BigInt(Date.now() - 1000) * 1_000_000n}`;
      json(
        res,
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'streams',
            result: [
              {
                stream: { service: service ?? '' },
                values: [[lineNs, '{"level":"info","msg":"request served"}']],
              },
            ],
          },
        }),
      );
    } else {
      counts.other++;
      res.writeHead(404).end();
    }
  });
  const port = await listen(server);
  return { port, ...handle(server, counts) };
}
