import http from 'node:http';
import https from 'node:https';

/**
 * What an ingress controller does for the service: terminates TLS with the
 * service's certificate and forwards each request over plain HTTP to
 * `127.0.0.1:<upstreamPort>`. An upstream that is down answers 502, as an
 * ingress would.
 *
 * @returns {Promise<{ port: number, close(): Promise<void> }>}
 */
export async function startTlsProxy({ cert, key, port, upstreamPort }) {
  const server = https.createServer({ cert, key }, (req, res) => {
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: upstreamPort,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-proto': 'https' },
        timeout: 10_000,
      },
      upstreamRes => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('timed out')));
    upstream.on('error', error => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
      }
      res.end(`upstream: ${error.message}\n`);
    });
    req.pipe(upstream);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
