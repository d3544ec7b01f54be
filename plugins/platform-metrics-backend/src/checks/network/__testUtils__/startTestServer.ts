import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestKeyPair } from './makeTestCertificates';

export interface TestServer {
  port: number;
  /** Every request path the server received, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A real HTTP(S) server on a free port of 127.0.0.1, recording the paths it
 * is asked for; HTTPS when given a key pair.
 */
export async function startTestServer(
  handler: http.RequestListener,
  tls?: TestKeyPair,
): Promise<TestServer> {
  const requests: string[] = [];
  const listener: http.RequestListener = (req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  };
  const server = tls
    ? https.createServer({ key: tls.key, cert: tls.cert }, listener)
    : http.createServer(listener);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
