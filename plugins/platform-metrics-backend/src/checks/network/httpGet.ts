import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { probeError, type ProbeError } from './probeError';

export interface HttpGetRequest {
  url: URL;
  headers?: Record<string, string>;
  /** Aborts the request; see `withDeadline`. */
  signal: AbortSignal;
  /** The body is cut after this many bytes and the response marked truncated. */
  maxResponseBytes: number;
  /**
   * Connect to this IP address instead of resolving the URL's host again: the
   * address the probe guard checked, so DNS rebinding cannot swap it. TLS
   * still verifies the certificate against the URL's hostname.
   */
  address?: string;
  /** PEM CAs that replace the system's for this request. */
  ca?: string;
}

export type HttpGetResult =
  | {
      kind: 'response';
      status: number;
      headers: IncomingHttpHeaders;
      body: Buffer;
      /** The server sent more than `maxResponseBytes`; `body` holds the first part. */
      truncated: boolean;
    }
  | ProbeError;

/**
 * One GET, with no redirect following (a 3xx is returned as it is), no
 * connection reuse, a size limit on the body and the caller's deadline. It
 * never rejects: failures come back as `kind: 'error'`.
 */
export function httpGet(request: HttpGetRequest): Promise<HttpGetResult> {
  const { url, signal, maxResponseBytes } = request;
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const secure = url.protocol === 'https:';
  return new Promise(resolve => {
    let settled = false;
    const settle = (result: HttpGetResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const fail = (error: NodeJS.ErrnoException) =>
      settle(probeError(error, signal));
    if (signal.aborted) {
      fail(new Error('aborted'));
      return;
    }

    const options: https.RequestOptions = {
      method: 'GET',
      host: request.address ?? hostname,
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers: { ...request.headers, host: url.host },
      agent: false,
      signal,
    };
    if (secure) {
      // SNI and the certificate check use the hostname, also when connecting
      // to a pinned address; SNI must not carry an IP literal.
      if (!isIP(hostname)) options.servername = hostname;
      if (request.ca) options.ca = request.ca;
    }
    let req: http.ClientRequest;
    try {
      req = (secure ? https : http).request(options, onResponse);
    } catch (error) {
      // Options Node refuses synchronously (a malformed CA, a bad header).
      fail(error as NodeJS.ErrnoException);
      return;
    }
    req.on('error', fail);
    req.end();

    function onResponse(res: http.IncomingMessage) {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        const room = maxResponseBytes - size;
        if (chunk.length > room) {
          if (room > 0) chunks.push(chunk.subarray(0, room));
          size = maxResponseBytes;
          settle({
            kind: 'response',
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            truncated: true,
          });
          req.destroy();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () =>
        settle({
          kind: 'response',
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          truncated: false,
        }),
      );
      res.on('error', fail);
      res.on('close', () =>
        fail(
          Object.assign(new Error('the connection closed mid-response'), {
            code: 'ECONNRESET',
          }),
        ),
      );
    }
  });
}
